namespace OrleansSignals.Exports.Runs;

/// <summary>The life of a run: pending, then running (claimed by a worker), then completed or failed.</summary>
public static class ExportRunStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
