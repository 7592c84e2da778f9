using OrleansSignals.Exports.Parquet.Buffers;
using OrleansSignals.Exports.Parquet.Pages;

namespace OrleansSignals.Exports.Tests.Parquet.Pages;

/// <summary>Expected bytes are worked out by hand from Encodings.md (RLE / bit-packed hybrid, width 1).</summary>
public sealed class DefinitionLevelEncoderTests
{
    [Fact]
    public void A_short_page_is_one_bit_packed_run_padded_to_a_whole_group()
    {
        // 10 present values: groups FF 03; header varint(2 << 1 | 1) = 05; length 3.
        Assert.Equal([0x03, 0, 0, 0, 0x05, 0xFF, 0x03], Encode([0xFF, 0x03], 10));
    }

    [Fact]
    public void A_long_all_present_stretch_is_one_rle_run()
    {
        // 64 ones: header varint(64 << 1) = 80 01, value 01 in one byte.
        Assert.Equal([0x03, 0, 0, 0, 0x80, 0x01, 0x01], Encode([.. Enumerable.Repeat((byte)0xFF, 8)], 64));
    }

    [Fact]
    public void Runs_of_nulls_and_mixed_groups_alternate()
    {
        // 40 nulls (RLE: varint(80) = 50, value 00), then 3 present values (bit-packed: 03, 07).
        Assert.Equal([0x04, 0, 0, 0, 0x50, 0x00, 0x03, 0x07], Encode([0, 0, 0, 0, 0, 0x07], 43));
    }

    [Fact]
    public void Short_uniform_stretches_stay_inside_the_bit_packed_run()
    {
        // 0x55, then two 0xFF groups (too short for RLE), then 0xAA: one literal run of 4 groups.
        Assert.Equal([0x05, 0, 0, 0, 0x09, 0x55, 0xFF, 0xFF, 0xAA], Encode([0x55, 0xFF, 0xFF, 0xAA], 32));
    }

    private static byte[] Encode(byte[] bitmap, int count)
    {
        using var output = new ByteBuffer();
        DefinitionLevelEncoder.Encode(bitmap, count, output);
        return output.WrittenSpan.ToArray();
    }
}
