using OrleansSignals.Exports.Formats;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Exports.Tests.Formats;

/// <summary>Writes rows of plain CLR values (string, long, double, bool, DateTimeOffset, null) through the row writer the exports open for Parquet.</summary>
internal static class RowWriterRows
{
    public static async Task WriteAsync(
        string path, ParquetSchema schema, IEnumerable<object?[]> rows, ExportCompression compression, ParquetWriterOptions? options = null)
    {
        await using var stream = File.Create(path);
        await using var writer = RowWriterFactory.Create(ExportFormat.Parquet, compression, schema, stream, options);
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                Append(writer, i, row[i]);
            }

            await writer.EndRowAsync(CancellationToken.None);
        }

        await writer.CompleteAsync(CancellationToken.None);
    }

    private static void Append(IRowWriter writer, int column, object? value)
    {
        switch (value)
        {
            case null: writer.AppendNull(column); break;
            case string s: writer.AppendString(column, s); break;
            case long l: writer.AppendInt64(column, l); break;
            case double d: writer.AppendDouble(column, d); break;
            case bool b: writer.AppendBoolean(column, b); break;
            // The export reader hands timestamps over as UTC DateTimes (Npgsql's timestamptz).
            case DateTimeOffset t: writer.AppendTimestamp(column, t.UtcDateTime); break;
            default: throw new ArgumentException($"No Parquet type for {value.GetType()}.", nameof(value));
        }
    }
}
