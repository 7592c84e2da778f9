using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSignals.Enrichment.Consolidation;
using OrleansSignals.Enrichment.Providers;

namespace OrleansSignals.Enrichment.Batches;

/// <summary>
/// Drives a batch step by step: every item through step 1 (bounded by the provider's limits), then the items that
/// succeeded through step 2, and so on; then finishes the batch and consolidates it. All progress is in PostgreSQL
/// (<c>workflow_states</c>), so a run that stops (its silo leaves) resumes where it was: succeeded steps are not run again.
/// </summary>
public sealed partial class BatchRunner(BatchStore batches, WorkflowStore workflow, ProviderStore providers, ProviderCaller caller, Consolidator consolidator,
    IOptions<EnrichmentOptions> options, ILogger<BatchRunner> logger)
{
    /// <summary>
    /// Runs the batch until it is final (true) or <paramref name="stopping"/> asks it to let go (false): then the
    /// calls in flight finish and are recorded, and no new ones start. <paramref name="cancel"/> aborts at once.
    /// </summary>
    public async Task<bool> RunAsync(Guid id, CancellationToken stopping, CancellationToken cancel)
    {
        var batch = await batches.FindAsync(null, id, cancel);
        if (batch is null || BatchStatus.IsFinal(batch.Status) || !await batches.MarkRunningAsync(id, cancel)) return true;
        LogRunning(batch.WorkspaceId, id, batch.Status);
        for (var step = 1; step <= batch.Steps.Length; step++)
        {
            var name = batch.Steps[step - 1];
            var provider = await providers.FindAsync(batch.WorkspaceId, name, cancel);
            if (provider is null)
            {
                await workflow.FailStepAsync(id, step, $"provider '{name}' was deleted", cancel);
                continue;
            }
            long after = 0;
            while (true)
            {
                if (stopping.IsCancellationRequested) return false;
                var page = await workflow.OpenAsync(id, step, name, after, options.Value.PageSize, batch.Header, cancel);
                if (page.Count == 0) break;
                after = page[^1].ItemId;
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = provider.Concurrency * 2, CancellationToken = cancel };
                await Parallel.ForEachAsync(page, parallel, async (item, ct) =>
                {
                    if (!stopping.IsCancellationRequested) await caller.RunAsync(provider, id, step, item, ct);
                });
            }
        }
        if (stopping.IsCancellationRequested) return false;
        var status = await batches.FinishAsync(id, cancel);
        if (status is null) return true;
        LogFinished(batch.WorkspaceId, id, status);
        try
        {
            await consolidator.ConsolidateAsync(id, cancel);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The batch stays completed; POST .../consolidate runs it again.
            LogConsolidationFailed(ex, batch.WorkspaceId, id);
        }
        return true;
    }

    [LoggerMessage(LogLevel.Information, "{Workspace} enrichment batch {Batch} running (was {Status})")]
    private partial void LogRunning(string workspace, Guid batch, string status);

    [LoggerMessage(LogLevel.Information, "{Workspace} enrichment batch {Batch} {Status}")]
    private partial void LogFinished(string workspace, Guid batch, string status);

    [LoggerMessage(LogLevel.Warning, "{Workspace} enrichment batch {Batch}: consolidation failed")]
    private partial void LogConsolidationFailed(Exception ex, string workspace, Guid batch);
}
