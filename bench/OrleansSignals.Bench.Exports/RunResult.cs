namespace OrleansSignals.Bench.Exports;

/// <summary>One timed export: <see cref="Seconds"/> is the run's own time (started_at to completed_at on the server).</summary>
public sealed record RunResult(string Id, long Rows, long Bytes, int Files, double Seconds, double WallSeconds, long PeakBytes, double Load, IReadOnlyList<string> Locations)
{
    public double RowsPerSecond => Rows / Seconds;
    public double MegabytesPerSecond => Bytes / 1e6 / Seconds;
}
