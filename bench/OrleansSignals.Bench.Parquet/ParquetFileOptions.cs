namespace OrleansSignals.Bench.Parquet;

/// <summary>How <see cref="ParquetNetRowWriter"/> cuts a Parquet file into row groups.</summary>
internal sealed record ParquetFileOptions
{
    /// <summary>
    /// Rows per row group: 65,536 (64 Ki). A row group's strings are held until it is written, so this
    /// bounds memory; 128 Ki rows raised the benchmark's peak resident set by about 40 MB
    /// (docs/benchmarks-parquet.md) for files no smaller.
    /// </summary>
    public int RowGroupRows { get; init; } = 64 * 1024;

    /// <summary>
    /// A row group is written early once its buffered values reach about this many bytes (strings counted
    /// as UTF-16, two bytes a character; other values eight bytes): 64 MiB. This bounds the writer's
    /// memory when rows are wide, e.g. events with large <c>properties</c>.
    /// </summary>
    public long RowGroupBytes { get; init; } = 64L * 1024 * 1024;
}
