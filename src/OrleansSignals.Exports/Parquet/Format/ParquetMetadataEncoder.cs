using OrleansSignals.Exports.Parquet.Buffers;
using OrleansSignals.Exports.Parquet.Thrift;

namespace OrleansSignals.Exports.Parquet.Format;

/// <summary>
/// Serialises the two Thrift structures the writer emits: a data page header (v1) before every
/// page, and the FileMetaData footer. Field ids are those of parquet.thrift.
/// </summary>
internal static class ParquetMetadataEncoder
{
    /// <summary>Writes a PageHeader for a v1 data page with PLAIN values and RLE levels.</summary>
    public static void WriteDataPageHeader(ByteBuffer output, int uncompressedSize, int compressedSize, int numValues)
    {
        var thrift = new ThriftCompactWriter(output);
        thrift.BeginStruct();
        thrift.WriteI32Field(1, FormatCodes.PageTypeData);
        thrift.WriteI32Field(2, uncompressedSize);
        thrift.WriteI32Field(3, compressedSize);
        thrift.BeginStructField(5);
        thrift.WriteI32Field(1, numValues);
        thrift.WriteI32Field(2, FormatCodes.EncodingPlain);
        thrift.WriteI32Field(3, FormatCodes.EncodingRle);
        thrift.WriteI32Field(4, FormatCodes.EncodingRle);
        thrift.EndStruct();
        thrift.EndStruct();
    }

    public static void WriteFileMetaData(
        ByteBuffer output,
        ParquetSchema schema,
        ParquetCompression compression,
        IReadOnlyList<RowGroupInfo> rowGroups,
        string createdBy)
    {
        var columns = schema.Columns;
        var thrift = new ThriftCompactWriter(output);
        thrift.BeginStruct();
        thrift.WriteI32Field(1, 1);

        thrift.BeginListField(2, ThriftType.Struct, columns.Count + 1);
        thrift.BeginStruct();
        thrift.WriteStringField(4, "schema");
        thrift.WriteI32Field(5, columns.Count);
        thrift.EndStruct();
        foreach (var column in columns)
        {
            WriteSchemaElement(thrift, column);
        }

        thrift.WriteI64Field(3, rowGroups.Sum(g => g.NumRows));

        thrift.BeginListField(4, ThriftType.Struct, rowGroups.Count);
        for (var i = 0; i < rowGroups.Count; i++)
        {
            WriteRowGroup(thrift, schema, compression, rowGroups[i], (short)i);
        }

        thrift.WriteStringField(6, createdBy);

        // Statistics carry min_value/max_value, whose meaning the format defines only together
        // with column_orders: TYPE_ORDER (signed for INT64/TIMESTAMP, numeric for DOUBLE).
        thrift.BeginListField(7, ThriftType.Struct, columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            thrift.BeginStruct();
            thrift.BeginStructField(1);
            thrift.EndStruct();
            thrift.EndStruct();
        }

        thrift.EndStruct();
    }

    private static void WriteSchemaElement(ThriftCompactWriter thrift, ParquetColumn column)
    {
        thrift.BeginStruct();
        thrift.WriteI32Field(1, FormatCodes.PhysicalType(column.Type));
        thrift.WriteI32Field(3, column.Nullable ? FormatCodes.RepetitionOptional : FormatCodes.RepetitionRequired);
        thrift.WriteStringField(4, column.Name);
        switch (column.Type)
        {
            case ParquetType.String:
                thrift.WriteI32Field(6, FormatCodes.ConvertedUtf8);
                thrift.BeginStructField(10); // LogicalType
                thrift.BeginStructField(1); // STRING
                thrift.EndStruct();
                thrift.EndStruct();
                break;
            case ParquetType.Timestamp:
                thrift.WriteI32Field(6, FormatCodes.ConvertedTimestampMicros);
                thrift.BeginStructField(10); // LogicalType
                thrift.BeginStructField(8); // TIMESTAMP
                thrift.WriteBoolField(1, true); // isAdjustedToUTC
                thrift.BeginStructField(2); // unit: TimeUnit
                thrift.BeginStructField(2); // MICROS
                thrift.EndStruct();
                thrift.EndStruct();
                thrift.EndStruct();
                thrift.EndStruct();
                break;
        }

        thrift.EndStruct();
    }

    private static void WriteRowGroup(
        ThriftCompactWriter thrift, ParquetSchema schema, ParquetCompression compression, RowGroupInfo rowGroup, short ordinal)
    {
        thrift.BeginStruct();
        thrift.BeginListField(1, ThriftType.Struct, rowGroup.Columns.Count);
        for (var i = 0; i < rowGroup.Columns.Count; i++)
        {
            thrift.BeginStruct();
            thrift.WriteI64Field(2, 0); // file_offset: deprecated, 0 when no ColumnMetaData is written outside the footer
            thrift.BeginStructField(3);
            WriteColumnMetaData(thrift, schema.Columns[i], compression, rowGroup.Columns[i]);
            thrift.EndStruct();
            thrift.EndStruct();
        }

        thrift.WriteI64Field(2, rowGroup.TotalByteSize);
        thrift.WriteI64Field(3, rowGroup.NumRows);
        thrift.WriteI64Field(5, rowGroup.FileOffset);
        thrift.WriteI64Field(6, rowGroup.TotalCompressedSize);
        thrift.WriteI16Field(7, ordinal);
        thrift.EndStruct();
    }

    private static void WriteColumnMetaData(
        ThriftCompactWriter thrift, ParquetColumn column, ParquetCompression compression, ColumnChunkInfo chunk)
    {
        thrift.WriteI32Field(1, FormatCodes.PhysicalType(column.Type));
        thrift.BeginListField(2, ThriftType.I32, 2);
        thrift.WriteI32(FormatCodes.EncodingPlain);
        thrift.WriteI32(FormatCodes.EncodingRle);
        thrift.BeginListField(3, ThriftType.Binary, 1);
        thrift.WriteString(column.Name);
        thrift.WriteI32Field(4, FormatCodes.Codec(compression));
        thrift.WriteI64Field(5, chunk.NumValues);
        thrift.WriteI64Field(6, chunk.TotalUncompressedSize);
        thrift.WriteI64Field(7, chunk.TotalCompressedSize);
        thrift.WriteI64Field(9, chunk.DataPageOffset);
        WriteStatistics(thrift, chunk.Statistics);
    }

    private static void WriteStatistics(ThriftCompactWriter thrift, ColumnChunkStatistics statistics)
    {
        thrift.BeginStructField(12);
        if (statistics.Max is { } max)
        {
            // The deprecated max/min (1, 2) are signed-order, which is this writer's order too,
            // so old readers that know only those fields get them as well.
            thrift.WriteBinaryField(1, max);
            thrift.WriteBinaryField(2, statistics.Min);
        }

        thrift.WriteI64Field(3, statistics.NullCount);
        if (statistics.Max is { } maxValue)
        {
            thrift.WriteBinaryField(5, maxValue);
            thrift.WriteBinaryField(6, statistics.Min);
        }

        if (statistics.NanCount is { } nanCount)
        {
            thrift.WriteI64Field(9, nanCount);
        }

        thrift.EndStruct();
    }
}
