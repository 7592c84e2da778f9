using Orleans.Concurrency;

namespace OrleansSignals.Enrichment.Batches;

/// <summary>The grain that drives one enrichment batch (keyed by the batch id).</summary>
[Alias("OrleansSignals.Enrichment.IEnrichmentBatchGrain")]
public interface IEnrichmentBatchGrain : IGrainWithGuidKey
{
    /// <summary>Starts (or resumes) the batch; returns at once. A reminder keeps it going across silo losses.</summary>
    Task StartAsync();

    /// <summary>Stops the calls in flight; the batch's status is already cancelled in PostgreSQL.</summary>
    [AlwaysInterleave]
    Task CancelAsync();
}
