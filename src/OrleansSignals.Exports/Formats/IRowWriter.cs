namespace OrleansSignals.Exports.Formats;

/// <summary>
/// Writes rows of one export file. For each row, append one value per column in column order,
/// then <see cref="EndRowAsync"/>; finish with <see cref="CompleteAsync"/>.
/// </summary>
public interface IRowWriter : IAsyncDisposable
{
    void AppendNull(int column);

    void AppendString(int column, string value);

    void AppendInt64(int column, long value);

    void AppendDouble(int column, double value);

    void AppendBoolean(int column, bool value);

    void AppendTimestamp(int column, DateTime utc);

    /// <summary>A JSON value (see <c>IExportDataset.JsonColumns</c>); formats without JSON values write its text form.</summary>
    void AppendJson(int column, string json) => AppendString(column, TextValues.JsonText(json));

    ValueTask EndRowAsync(CancellationToken cancellationToken);

    /// <summary>Writes what is buffered (and the Parquet footer) and flushes; the stream stays open.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}
