using System.ComponentModel.DataAnnotations;

namespace OrleansSignals.Signals.Pipeline;

/// <summary>Settings of the daily pipeline (section <c>Signals:Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    /// <summary>How often a workspace's pipeline grain looks for a due or unfinished run while active. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a host holds a run it works on; renewed between units of work. A host lost mid-run leaves the run to
    /// another after this. Default 2 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Longest one slice of a run works before it stops between units (a definition, a batch of deliveries) and
    /// leaves the rest to the next tick. Default 15 minutes; 0: one unit per tick.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "06:00:00")]
    public TimeSpan TimeBudget { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Longest one definition's query may run (PostgreSQL statement_timeout); over it, the definition fails and is skipped. Default 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DefinitionTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Memory (MB) each sort or hash of a definition's evaluate and score statements may use before spilling to disk
    /// (PostgreSQL work_mem, per transaction). Counting per person over a workspace of a million persons needs ~100 MB
    /// in one hash. Default 128.
    /// </summary>
    [Range(4, 4096)]
    public int WorkMemMb { get; set; } = 128;

    /// <summary>A run that stops on an unexpected error this many times is marked failed. Default 3.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Deliveries taken per batch. Default 100.</summary>
    [Range(1, 10_000)]
    public int DeliveryBatchSize { get; set; } = 100;

    /// <summary>Attempts per delivery before it is marked failed. Default 5.</summary>
    [Range(1, 100)]
    public int DeliveryAttempts { get; set; } = 5;
}
