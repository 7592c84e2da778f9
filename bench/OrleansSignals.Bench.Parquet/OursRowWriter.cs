using OrleansSignals.Exports.Formats;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Bench.Parquet;

/// <summary>Our own <see cref="ParquetFileWriter"/> behind the exports' <see cref="IRowWriter"/>, as exports used it before Parquet.Net.</summary>
internal sealed class OursRowWriter(Stream output, ParquetSchema schema, ExportCompression compression) : IRowWriter
{
    private readonly ParquetFileWriter _writer = new(output, schema, new ParquetWriterOptions
    {
        Compression = compression switch
        {
            ExportCompression.None => ParquetCompression.None,
            ExportCompression.Gzip => ParquetCompression.Gzip,
            ExportCompression.Brotli => ParquetCompression.Brotli,
            _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "Our writer has none, gzip and brotli only."),
        },
    }, leaveOpen: true);

    public static bool Supports(ExportCompression compression) =>
        compression is ExportCompression.None or ExportCompression.Gzip or ExportCompression.Brotli;

    public void AppendNull(int column) => _writer.AppendNull(column);

    public void AppendString(int column, string value) => _writer.AppendString(column, value);

    public void AppendInt64(int column, long value) => _writer.AppendInt64(column, value);

    public void AppendDouble(int column, double value) => _writer.AppendDouble(column, value);

    public void AppendBoolean(int column, bool value) => _writer.AppendBoolean(column, value);

    public void AppendTimestamp(int column, DateTime utc) => _writer.AppendTimestamp(column, new DateTimeOffset(utc.Ticks, TimeSpan.Zero));

    public ValueTask EndRowAsync(CancellationToken cancellationToken) => _writer.EndRowAsync(cancellationToken);

    public Task CompleteAsync(CancellationToken cancellationToken) => _writer.CompleteAsync(cancellationToken);

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
