using System.ComponentModel.DataAnnotations;

namespace OrleansSignals.Grains.Persistence;

/// <summary>Grain storage settings (section <c>Signals:Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>Most account turns committed in one transaction. Default 1000.</summary>
    [Range(1, 50_000)]
    public int WriteBatchSize { get; set; } = 1000;

    /// <summary>Transactions committing account turns at once. Default 2.</summary>
    [Range(1, 64)]
    public int WriteConcurrency { get; set; } = 2;

    /// <summary>Most account states loaded in one query. Default 2000.</summary>
    [Range(1, 50_000)]
    public int LoadBatchSize { get; set; } = 2000;

    /// <summary>How often a batch is tried again after a deadlock or serialization failure. Default 5.</summary>
    [Range(0, 100)]
    public int TransientRetries { get; set; } = 5;
}
