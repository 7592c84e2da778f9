namespace OrleansSignals.Enrichment.Batches;

/// <summary>A batch's lifecycle: pending (uploaded, not started) -> running -> completed, failed or cancelled.</summary>
public static class BatchStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string status) => status is Completed or Failed or Cancelled;
}
