namespace OrleansSignals.Bench.Parquet;

/// <summary>The writers compared: ours (src/OrleansSignals.Exports/Parquet), Parquet.Net through the exports' row writer, DuckDB's COPY.</summary>
internal enum BenchWriter
{
    Ours,
    ParquetNet,
    DuckDb,
}
