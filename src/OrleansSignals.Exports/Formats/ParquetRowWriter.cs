using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Exports.Formats;

/// <summary>Rows into our own <see cref="ParquetFileWriter"/>; compression is the page codec inside the file.</summary>
public sealed class ParquetRowWriter(Stream output, ParquetSchema schema, ParquetWriterOptions options) : IRowWriter
{
    private readonly ParquetFileWriter _writer = new(output, schema, options, leaveOpen: true);

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
