using OrleansSignals.Exports.Datasets;

namespace OrleansSignals.Exports.Formats;

/// <summary>Opens the row writer of a format and compression on an output stream.</summary>
public static class RowWriterFactory
{
    public static IRowWriter Create(ExportFormat format, ExportCompression compression, ParquetSchema schema, Stream output, ParquetFileOptions? parquet = null)
    {
        var names = schema.Columns.Select(c => c.Name).ToArray();
        return format switch
        {
            ExportFormat.Csv => new CsvRowWriter(output, compression, names),
            ExportFormat.Jsonl => new JsonLinesRowWriter(output, compression, names),
            ExportFormat.Parquet => new ParquetRowWriter(output, schema, compression, parquet),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
        };
    }
}
