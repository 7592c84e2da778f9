namespace OrleansSignals.Bench.Parquet;

/// <summary>
/// The writers compared: Parquet.Net through the exports' row writer, and DuckDB's COPY. (Until issue 11
/// our own writer was a third; its figures, measured side by side, are in docs/benchmarks-parquet.md.)
/// </summary>
internal enum BenchWriter
{
    ParquetNet,
    DuckDb,
}
