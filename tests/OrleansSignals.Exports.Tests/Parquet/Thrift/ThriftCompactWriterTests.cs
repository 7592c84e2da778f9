using OrleansSignals.Exports.Parquet.Buffers;
using OrleansSignals.Exports.Parquet.Format;
using OrleansSignals.Exports.Parquet.Thrift;

namespace OrleansSignals.Exports.Tests.Parquet.Thrift;

/// <summary>Expected bytes are worked out by hand from doc/specs/thrift-compact-protocol.md.</summary>
public sealed class ThriftCompactWriterTests
{
    [Fact]
    public void Short_field_headers_carry_the_id_delta_and_the_type()
    {
        var bytes = Encode(t =>
        {
            t.BeginStruct();
            t.WriteI32Field(1, 0);        // 0x15: delta 1, i32; zigzag(0) = 0
            t.WriteI32Field(2, 100);      // 0x15; zigzag(100) = 200 = varint C8 01
            t.WriteI64Field(3, -1);       // 0x16: i64; zigzag(-1) = 1
            t.WriteBoolField(4, true);    // 0x11: the value is the type nibble, 1 = true
            t.WriteBoolField(5, false);   // 0x12: 2 = false
            t.WriteStringField(6, "ab");  // 0x18: binary; varint length 2, then the bytes
            t.WriteI16Field(13, 3);       // 0x74: delta 7, i16; zigzag(3) = 6
            t.EndStruct();                // stop field
        });

        Assert.Equal(
            [0x15, 0x00, 0x15, 0xC8, 0x01, 0x16, 0x01, 0x11, 0x12, 0x18, 0x02, 0x61, 0x62, 0x74, 0x06, 0x00],
            bytes);
    }

    [Fact]
    public void Varints_follow_the_specification_example()
    {
        // The spec encodes 50399 as DF 89 03; zigzag(-25200) = 2 * 25200 - 1 = 50399.
        var bytes = Encode(t =>
        {
            t.BeginStruct();
            t.WriteI64Field(1, -25200);
            t.WriteI64Field(2, long.MinValue); // zigzag = 2^64 - 1: ten bytes, FF x9 then 01
            t.EndStruct();
        });

        Assert.Equal(
            [0x16, 0xDF, 0x89, 0x03, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00],
            bytes);
    }

    [Fact]
    public void A_delta_above_15_uses_the_long_form_header()
    {
        var bytes = Encode(t =>
        {
            t.BeginStruct();
            t.WriteI32Field(16, 1);  // 0x05 then zigzag i16 field id 16 = 32 = 0x20; value zigzag(1) = 2
            t.WriteI32Field(17, 1);  // back to the short form: delta 1
            t.EndStruct();
        });

        Assert.Equal([0x05, 0x20, 0x02, 0x15, 0x02, 0x00], bytes);
    }

    [Fact]
    public void Nested_structs_restart_field_deltas_and_the_outer_struct_resumes()
    {
        var bytes = Encode(t =>
        {
            t.BeginStruct();
            t.WriteI32Field(5, 1);   // 0x55 0x02
            t.BeginStructField(6);   // 0x1C: delta 1, struct
            t.WriteI32Field(1, 7);   // 0x15 0x0E: delta from 0, not from 6
            t.EndStruct();           // 0x00
            t.WriteI32Field(7, 3);   // 0x15 0x06: delta 1 from the outer field 6
            t.EndStruct();           // 0x00
        });

        Assert.Equal([0x55, 0x02, 0x1C, 0x15, 0x0E, 0x00, 0x15, 0x06, 0x00], bytes);
    }

    [Fact]
    public void List_headers_pack_small_sizes_and_spill_large_ones_into_a_varint()
    {
        var bytes = Encode(t =>
        {
            t.BeginStruct();
            t.BeginListField(1, ThriftType.I32, 3); // 0x19: delta 1, list; 0x35: 3 elements of i32
            t.WriteI32(1);
            t.WriteI32(2);
            t.WriteI32(3);
            t.BeginListField(2, ThriftType.Binary, 14); // 0x19; 0xE8: 14 fits the nibble
            for (var i = 0; i < 14; i++)
            {
                t.WriteString("");
            }

            t.BeginListField(3, ThriftType.Struct, 15); // 0x19; 0xFC then varint 15
            for (var i = 0; i < 15; i++)
            {
                t.BeginStruct();
                t.EndStruct();
            }

            t.EndStruct();
        });

        byte[] expected = [0x19, 0x35, 0x02, 0x04, 0x06, 0x19, 0xE8, .. new byte[14], 0x19, 0xFC, 0x0F, .. new byte[15], 0x00];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void A_data_page_header_has_the_parquet_thrift_field_ids()
    {
        var buffer = new ByteBuffer();
        ParquetMetadataEncoder.WriteDataPageHeader(buffer, uncompressedSize: 100, compressedSize: 50, numValues: 10);

        byte[] expected =
        [
            0x15, 0x00,       // 1: type = DATA_PAGE (0)
            0x15, 0xC8, 0x01, // 2: uncompressed_page_size = 100
            0x15, 0x64,       // 3: compressed_page_size = 50
            0x2C,             // 5: data_page_header (delta 2, struct)
            0x15, 0x14,       //   1: num_values = 10
            0x15, 0x00,       //   2: encoding = PLAIN
            0x15, 0x06,       //   3: definition_level_encoding = RLE (3)
            0x15, 0x06,       //   4: repetition_level_encoding = RLE (3)
            0x00,             //   stop
            0x00,             // stop
        ];
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
    }

    private static byte[] Encode(Action<ThriftCompactWriter> write)
    {
        using var buffer = new ByteBuffer();
        write(new ThriftCompactWriter(buffer));
        return buffer.WrittenSpan.ToArray();
    }
}
