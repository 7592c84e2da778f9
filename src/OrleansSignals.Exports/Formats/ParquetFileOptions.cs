namespace OrleansSignals.Exports.Formats;

/// <summary>How <see cref="ParquetRowWriter"/> cuts a Parquet file into row groups; the defaults suit every export.</summary>
public sealed record ParquetFileOptions
{
    /// <summary>Rows per row group: 131,072 (128 Ki), inside the 100k-1M range readers parallelise well over.</summary>
    public int RowGroupRows { get; init; } = 128 * 1024;

    /// <summary>
    /// A row group is written early once its buffered values reach about this many bytes (strings counted
    /// as UTF-16, two bytes a character; other values eight bytes): 64 MiB. This bounds the writer's
    /// memory when rows are wide, e.g. events with large <c>properties</c>.
    /// </summary>
    public long RowGroupBytes { get; init; } = 64L * 1024 * 1024;
}
