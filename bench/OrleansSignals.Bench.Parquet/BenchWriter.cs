namespace OrleansSignals.Bench.Parquet;

/// <summary>The writers compared: ours (src/OrleansSignals.Exports/Parquet, what the exports use), Parquet.Net 6.1.0 (<see cref="ParquetNetRowWriter"/>), DuckDB's COPY.</summary>
internal enum BenchWriter
{
    Ours,
    ParquetNet,
    DuckDb,
}
