namespace OrleansSignals.Bench.Parquet;

/// <summary>One write of the benchmark file, by any writer.</summary>
/// <param name="Seconds">Wall time of the write, process start-up excluded.</param>
/// <param name="FileBytes">Size of the file written.</param>
/// <param name="PeakWorkingSetBytes">Peak resident set (VmHWM) of the writing process: .NET's PeakWorkingSet64, Node's maxRSS.</param>
/// <param name="AllocatedBytes">Managed bytes allocated during the write (.NET only).</param>
/// <param name="CpuSeconds">
/// User + system CPU time of the writing process over the whole run (start-up included). On a shared
/// machine this moves much less with the load than wall time does.
/// </param>
internal sealed record RunResult(long Rows, double Seconds, long FileBytes, long PeakWorkingSetBytes, long AllocatedBytes = 0, double CpuSeconds = 0);
