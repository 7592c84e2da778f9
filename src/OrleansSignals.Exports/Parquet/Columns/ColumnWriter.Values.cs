using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace OrleansSignals.Exports.Parquet.Columns;

internal sealed partial class ColumnWriter
{
    /// <summary>Up to this many chars, reserve UTF-8's worst case instead of counting bytes first.</summary>
    private const int CountUtf8Above = 16 * 1024;

    public void WriteNull()
    {
        // Absent values are a 0 in the presence bitmap and nothing in the values.
        MarkPresence(present: false);
        _statistics.AddNull();
        EndValue();
    }

    public void WriteInt64(long value)
    {
        MarkPresence(present: true);
        BinaryPrimitives.WriteInt64LittleEndian(_values.GetSpan(8), value);
        _values.Advance(8);
        _statistics.Add(value);
        EndValue();
    }

    public void WriteDouble(double value)
    {
        MarkPresence(present: true);
        BinaryPrimitives.WriteDoubleLittleEndian(_values.GetSpan(8), value);
        _values.Advance(8);
        _statistics.Add(value);
        EndValue();
    }

    /// <summary>PLAIN booleans are bit-packed, least significant bit first, with no header.</summary>
    public void WriteBoolean(bool value)
    {
        MarkPresence(present: true);
        var bit = _pageValues & 7;
        if (bit == 0)
        {
            _values.WriteByte(0);
        }

        if (value)
        {
            _values.LastByte |= (byte)(1 << bit);
        }

        _pageValues++;
        EndValue();
    }

    /// <summary>PLAIN BYTE_ARRAY: 4-byte little-endian length, then the UTF-8 bytes, encoded in place.</summary>
    public void WriteString(ReadOnlySpan<char> value)
    {
        MarkPresence(present: true);
        var maxBytes = value.Length <= CountUtf8Above
            ? Encoding.UTF8.GetMaxByteCount(value.Length)
            : Encoding.UTF8.GetByteCount(value);
        var destination = _values.GetSpan(4 + maxBytes);
        var written = Encoding.UTF8.GetBytes(value, destination[4..]);
        BinaryPrimitives.WriteInt32LittleEndian(destination, written);
        _values.Advance(4 + written);
        EndValue();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MarkPresence(bool present)
    {
        if (_presence is null)
        {
            return;
        }

        var bit = _pageRows & 7;
        if (bit == 0)
        {
            _presence.WriteByte(0);
        }

        if (present)
        {
            _presence.LastByte |= (byte)(1 << bit);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EndValue()
    {
        _pageRows++;
        _chunkRows++;
        if (_values.Length + (_pageRows >> 3) >= _pageSize)
        {
            FinishPage();
        }
    }
}
