namespace OrleansSignals.Bench.Parquet;

/// <summary>One write of the benchmark file, by either writer.</summary>
/// <param name="Seconds">Wall time of the write, process start-up excluded.</param>
/// <param name="PeakWorkingSetBytes">Peak working set (.NET) or max RSS (Node + DuckDB) of the writing process.</param>
/// <param name="AllocatedBytes">Managed bytes allocated during the write (.NET only).</param>
internal sealed record RunResult(long Rows, double Seconds, long FileBytes, long PeakWorkingSetBytes, long AllocatedBytes = 0);
