using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansSignals.Signals.Delivery;
using OrleansSignals.Signals.Pipeline;

namespace OrleansSignals.Signals.PostHog;

/// <summary>
/// Destination <c>posthog_cohort</c>: a person-level occurrence's person (its <c>person_id</c>, a PostHog distinct
/// id) added to a static cohort. PostHog's add_persons_to_static_cohort takes person uuids, at most 1,000 a request,
/// so each batch costs one HogQL query (distinct ids to persons) and one request per cohort. A cohort holds persons:
/// an account-level occurrence fails saying so.
/// </summary>
public sealed class PostHogCohortDeliverer(
    SignalDeliveryStore deliveries, IntegrationStore integrations, PostHogClient client,
    IOptions<PipelineOptions> pipelineOptions, IOptions<PostHogOptions> options)
{
    public const string NotConfigured = "not configured: the workspace has no PostHog integration (PUT /api/integrations/posthog)";

    public async Task DeliverAsync(string workspaceId, IReadOnlyList<PendingDelivery> batch, CancellationToken cancellationToken)
    {
        var maxAttempts = pipelineOptions.Value.DeliveryAttempts;
        if (await integrations.GetAsync(workspaceId, IntegrationStore.PostHog, cancellationToken) is not { } stored)
        {
            foreach (var d in batch) await deliveries.MarkAsync(d.SignalId, d.ConfigId, "skipped", NotConfigured, maxAttempts, cancellationToken);
            return;
        }
        var posthog = PostHogIntegrationParser.FromStored(stored);
        var persons = new List<PendingDelivery>();
        foreach (var d in batch)
        {
            if (d.PersonId is null)
                await deliveries.MarkAsync(d.SignalId, d.ConfigId, "failed",
                    "an account-level signal has no person to add to a PostHog cohort (cohorts hold persons): deliver a person-level definition", 1, cancellationToken);
            else persons.Add(d);
        }
        foreach (var chunk in persons.Chunk(options.Value.CohortBatchSize))
        {
            Dictionary<string, string> uuids;
            try
            {
                var rows = await client.QueryAsync(posthog, HogQL.Persons(chunk.Select(d => d.PersonId!).Distinct().ToList()), cancellationToken);
                uuids = rows.Where(r => r.GetArrayLength() >= 2 && r[0].ValueKind == JsonValueKind.String && r[1].ValueKind == JsonValueKind.String)
                    .DistinctBy(r => r[0].GetString()).ToDictionary(r => r[0].GetString()!, r => r[1].GetString()!);
            }
            catch (PostHogException ex)
            {
                foreach (var d in chunk) await deliveries.MarkAsync(d.SignalId, d.ConfigId, "failed", ex.Message, ex.Permanent ? 1 : maxAttempts, cancellationToken);
                continue;
            }
            foreach (var cohort in chunk.GroupBy(d => d.DestinationConfig.GetProperty("cohort_id").GetInt32()))
            {
                var known = new List<PendingDelivery>();
                foreach (var d in cohort)
                {
                    if (uuids.ContainsKey(d.PersonId!)) known.Add(d);
                    else await deliveries.MarkAsync(d.SignalId, d.ConfigId, "failed", $"PostHog has no person with distinct_id '{d.PersonId}'", 1, cancellationToken);
                }
                if (known.Count == 0) continue;
                string? error = null;
                var permanent = false;
                try
                {
                    await client.AddPersonsToStaticCohortAsync(posthog, cohort.Key, known.Select(d => uuids[d.PersonId!]).Distinct().ToList(), cancellationToken);
                }
                catch (PostHogException ex)
                {
                    (error, permanent) = (ex.Message, ex.Permanent);
                }
                foreach (var d in known)
                    await deliveries.MarkAsync(d.SignalId, d.ConfigId, error is null ? "delivered" : "failed", error, permanent ? 1 : maxAttempts, cancellationToken);
            }
        }
    }
}
