using System.ComponentModel.DataAnnotations;

namespace OrleansSignals.Grains.Persistence;

/// <summary>Grain storage settings (section <c>Signals:Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>Most account checkpoints (or transition sets) written in one transaction. Default 1000.</summary>
    [Range(1, 50_000)]
    public int WriteBatchSize { get; set; } = 1000;

    /// <summary>Transactions writing at once, per kind (journal appends, transitions, checkpoints). Default 2.</summary>
    [Range(1, 64)]
    public int WriteConcurrency { get; set; } = 2;

    /// <summary>A journal append transaction stops taking more requests once it holds this many events. Default 20,000.</summary>
    [Range(1, 1_000_000)]
    public int AppendBatchEvents { get; set; } = 20_000;

    /// <summary>Most account checkpoints loaded in one query. Default 2000.</summary>
    [Range(1, 50_000)]
    public int LoadBatchSize { get; set; } = 2000;

    /// <summary>How often a batch is tried again after a deadlock or serialization failure. Default 5.</summary>
    [Range(0, 100)]
    public int TransientRetries { get; set; } = 5;

    /// <summary>
    /// An account with changes not yet checkpointed writes its checkpoint this long after the first of them.
    /// Lists, the insight-snapshot export and the due-account reminder read checkpoints, so this is how far they
    /// may lag acknowledged events (plus one write). Default 2 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a silo's account turns use their copy of a workspace's configuration before asking the workspace grain
    /// again; a change reaches the silo that saved it at once, others within this. Default 1 second.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ConfigCacheTtl { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>An account checkpoints at once after this many events since its last checkpoint (bounds a replay). Default 1000.</summary>
    [Range(1, 1_000_000)]
    public int CheckpointEveryEvents { get; set; } = 1000;
}
