namespace OrleansSignals.Signals.Pipeline;

/// <summary>Statuses, triggers and step names of pipeline runs, as stored and as the API shows them.</summary>
public static class PipelineWords
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>A step that had nothing to do; its <c>reason</c> says why. Finished, like completed.</summary>
    public const string Skipped = "skipped";

    public const string Scheduled = "scheduled";
    public const string Manual = "manual";

    public const string Evaluate = "evaluate";
    public const string Score = "score";
    public const string Deliver = "deliver";
    public const string Notify = "notify";

    /// <summary>The steps of every run, in order (runs created before notify existed have the first three).</summary>
    public static readonly IReadOnlyList<string> Steps = [Evaluate, Score, Deliver, Notify];
}
