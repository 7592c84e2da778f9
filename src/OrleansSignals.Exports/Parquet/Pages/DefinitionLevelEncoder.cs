using System.Buffers.Binary;
using OrleansSignals.Exports.Parquet.Buffers;

namespace OrleansSignals.Exports.Parquet.Pages;

/// <summary>
/// Encodes the definition levels of an OPTIONAL flat column (bit width 1: 1 present, 0 null)
/// in the RLE / bit-packed hybrid, with the 4-byte length prefix of a v1 data page.
/// </summary>
/// <remarks>
/// Input is the page's presence bitmap, least significant bit first, which is already the
/// bit-packed layout for bit width 1: one byte is one group of 8 values. The encoder walks it a
/// byte at a time: long stretches of 0x00 or 0xFF bytes (all null, all present) become RLE runs,
/// everything else is copied into bit-packed runs. The final partial byte is zero-padded, which
/// the format allows because the page header says how many values there are.
/// </remarks>
internal static class DefinitionLevelEncoder
{
    /// <summary>Stretches shorter than this stay bit-packed: an RLE run costs a header and a value byte.</summary>
    private const int MinRleBytes = 4;

    public static void Encode(ReadOnlySpan<byte> presenceBitmap, int valueCount, ByteBuffer output)
    {
        var lengthAt = output.Length;
        output.GetSpan(4);
        output.Advance(4);

        var fullBytes = valueCount >> 3;
        var literalStart = 0;
        var i = 0;
        while (i < fullBytes)
        {
            var b = presenceBitmap[i];
            if (b is not (0x00 or 0xFF))
            {
                i++;
                continue;
            }

            var runLength = presenceBitmap[i..fullBytes].IndexOfAnyExcept(b);
            if (runLength < 0)
            {
                runLength = fullBytes - i;
            }

            if (runLength >= MinRleBytes)
            {
                WriteBitPacked(presenceBitmap[literalStart..i], output);
                WriteVarint((ulong)runLength * 8 << 1, output);
                output.WriteByte(b == 0xFF ? (byte)1 : (byte)0);
                literalStart = i + runLength;
            }

            i += runLength;
        }

        var end = (valueCount & 7) == 0 ? fullBytes : fullBytes + 1;
        WriteBitPacked(presenceBitmap[literalStart..end], output);

        var encodedLength = output.Length - lengthAt - 4;
        BinaryPrimitives.WriteInt32LittleEndian(output.WrittenSpanMutable[lengthAt..], encodedLength);
    }

    private static void WriteBitPacked(ReadOnlySpan<byte> groups, ByteBuffer output)
    {
        if (groups.IsEmpty)
        {
            return;
        }

        WriteVarint((ulong)groups.Length << 1 | 1, output);
        output.Write(groups);
    }

    private static void WriteVarint(ulong value, ByteBuffer output)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }
}
