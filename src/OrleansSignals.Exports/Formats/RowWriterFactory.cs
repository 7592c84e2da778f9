using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Exports.Formats;

/// <summary>Opens the row writer of a format and compression on an output stream.</summary>
public static class RowWriterFactory
{
    public static IRowWriter Create(ExportFormat format, ExportCompression compression, ParquetSchema schema, Stream output, ParquetWriterOptions? parquet = null)
    {
        var names = schema.Columns.Select(c => c.Name).ToArray();
        return format switch
        {
            ExportFormat.Csv => new CsvRowWriter(output, compression, names),
            ExportFormat.Jsonl => new JsonLinesRowWriter(output, compression, names),
            ExportFormat.Parquet => new ParquetRowWriter(output, schema, WithCodec(parquet ?? new ParquetWriterOptions(), compression)),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }

    private static ParquetWriterOptions WithCodec(ParquetWriterOptions options, ExportCompression compression) => new()
    {
        Compression = compression switch
        {
            ExportCompression.Snappy => ParquetCompression.Snappy,
            ExportCompression.Gzip => ParquetCompression.Gzip,
            ExportCompression.Zstd => ParquetCompression.Zstd,
            ExportCompression.Brotli => ParquetCompression.Brotli,
            _ => ParquetCompression.None,
        },
        CompressionLevel = options.CompressionLevel,
        RowGroupRows = options.RowGroupRows,
        RowGroupBytes = options.RowGroupBytes,
        PageSize = options.PageSize,
        WriteStatistics = options.WriteStatistics,
        CreatedBy = options.CreatedBy,
    };
}
