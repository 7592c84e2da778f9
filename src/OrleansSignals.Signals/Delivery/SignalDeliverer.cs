using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using OrleansSignals.Signals.Attio;
using OrleansSignals.Signals.Pipeline;
using OrleansSignals.Signals.PostHog;

namespace OrleansSignals.Signals.Delivery;

/// <summary>
/// The deliver step: the run's new occurrences (never a new query) to each active destination configured for their
/// type. Each (occurrence, destination) is a row that turns delivered, failed (why, after how many attempts) or
/// skipped (why: the destination is not configured), so a run resumed mid-delivery sends only what is still pending.
/// </summary>
public sealed class SignalDeliverer(
    NpgsqlDataSource dataSource, SignalDeliveryStore deliveries, IntegrationStore integrations, AttioClient attio, PostHogCohortDeliverer posthog,
    IOptions<PipelineOptions> pipelineOptions, IOptions<AttioOptions> attioOptions)
{
    /// <summary>True when nothing is pending any more (the step is completed); false when the slice ran out first.</summary>
    public async Task<bool> DeliverAsync(PipelineRun run, Slice slice, Func<Task> renew, Stopwatch watch, CancellationToken cancellationToken)
    {
        var o = pipelineOptions.Value;
        await deliveries.PlanAsync(run.Id, cancellationToken);
        var records = new ConcurrentDictionary<string, Lazy<Task<string>>>();
        while (true)
        {
            var batch = await deliveries.PendingAsync(run.Id, o.DeliveryBatchSize, cancellationToken);
            if (batch.Count == 0) break;
            if (!slice.TryTakeUnit()) return false;
            await renew();
            foreach (var signal in batch.Where(d => d.DestinationType is DestinationTypes.Webhook or DestinationTypes.Slack).DistinctBy(d => d.SignalId))
                await deliveries.HandToHooksAsync(run.WorkspaceId, signal, cancellationToken);
            var toAttio = batch.Where(d => d.DestinationType == DestinationTypes.AttioList).ToList();
            if (toAttio.Count > 0) await DeliverToAttioAsync(run.WorkspaceId, toAttio, records, cancellationToken);
            var toPostHog = batch.Where(d => d.DestinationType == DestinationTypes.PostHogCohort).ToList();
            if (toPostHog.Count > 0) await posthog.DeliverAsync(run.WorkspaceId, toPostHog, cancellationToken);
        }
        var counts = await deliveries.CountsAsync(run.Id, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await PipelineRunStore.CompleteStepAsync(connection, null, run.Id, PipelineWords.Deliver, counts, watch.ElapsedMilliseconds, cancellationToken);
        return true;
    }

    private async Task DeliverToAttioAsync(
        string workspaceId, IReadOnlyList<PendingDelivery> batch, ConcurrentDictionary<string, Lazy<Task<string>>> records, CancellationToken cancellationToken)
    {
        var maxAttempts = pipelineOptions.Value.DeliveryAttempts;
        var settings = await integrations.GetAsync(workspaceId, IntegrationStore.Attio, cancellationToken);
        var apiKey = settings is { } s && s.TryGetProperty("api_key", out var key) ? key.GetString() : null;
        if (apiKey is null)
        {
            foreach (var d in batch)
                await deliveries.MarkAsync(d.SignalId, d.ConfigId, "skipped", "not configured: the workspace has no Attio API key (PUT /api/integrations/attio)", maxAttempts, cancellationToken);
            return;
        }
        // The client's per-key limits bound what is in flight; this only keeps the batch from queueing all at once.
        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = attioOptions.Value.MaxConcurrency, CancellationToken = cancellationToken },
            async (d, ct) =>
            {
                var parent = d.DestinationConfig.TryGetProperty("object", out var obj) ? obj.GetString()! : "companies";
                var list = d.DestinationConfig.GetProperty("list_id").GetString()!;
                var (subject, problem) = Subject(d, parent);
                if (subject is null)
                {
                    await deliveries.MarkAsync(d.SignalId, d.ConfigId, "failed", problem, 1, ct);
                    return;
                }
                try
                {
                    // One assert per company or person per run, however many occurrences name it (Lazy: GetOrAdd may run
                    // its factory twice when two deliveries of one company start together; only one of them may send).
                    var recordTask = records.GetOrAdd($"{parent}|{subject}", _ => new Lazy<Task<string>>(() => parent == "people"
                        ? attio.AssertPersonAsync(apiKey, subject, ct)
                        : attio.AssertCompanyAsync(apiKey, subject, ct))).Value;
                    string recordId;
                    try
                    {
                        recordId = await recordTask;
                    }
                    catch
                    {
                        records.TryRemove($"{parent}|{subject}", out _);
                        throw;
                    }
                    await attio.AssertListEntryAsync(apiKey, list, parent, recordId, ct);
                    await deliveries.MarkAsync(d.SignalId, d.ConfigId, "delivered", null, maxAttempts, ct);
                }
                catch (AttioException ex)
                {
                    await deliveries.MarkAsync(d.SignalId, d.ConfigId, "failed", ex.Message, ex.Permanent ? 1 : maxAttempts, ct);
                }
            });
    }

    /// <summary>
    /// Who the occurrence is in Attio. A company list takes the account's company (its <c>domain</c> trait, or an
    /// account id that is a domain), also for person-level signals; a people list takes the person (a person id that
    /// is an email address), so only person-level signals reach it.
    /// </summary>
    private static (string? Subject, string Problem) Subject(PendingDelivery d, string parent)
    {
        if (parent == "people")
        {
            return d.PersonId is { } p && p.Contains('@', StringComparison.Ordinal)
                ? (p, "")
                : (null, d.PersonId is null
                    ? "an account-level signal has no person to add to an Attio people list"
                    : $"person '{d.PersonId}' is not an email address, which Attio matches people by");
        }
        var domain = d.Domain ?? (d.AccountId.Contains('.', StringComparison.Ordinal) && !d.AccountId.Contains(' ', StringComparison.Ordinal) ? d.AccountId : null);
        return domain is null
            ? (null, $"account '{d.AccountId}' has no domain (set its 'domain' trait), which Attio matches companies by")
            : (domain.ToLowerInvariant(), "");
    }
}
