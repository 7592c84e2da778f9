using Microsoft.Extensions.Options;
using OrleansSignals.Signals.Definitions;
using OrleansSignals.Signals.Delivery;

namespace OrleansSignals.Signals.PostHog;

/// <summary>
/// Source <c>posthog</c>: a definition's counts per subject over its window, asked of the workspace's PostHog as one
/// HogQL query (read in pages of <see cref="PostHogOptions.PageSize"/> rows). The rows are stored as they came
/// (<see cref="PostHogResults"/>) and projected by the same statements as the other sources: into occurrences (the
/// window up to the run's cutoff) and into the score (the window ending <c>outcome_days</c> before it).
/// </summary>
public sealed class PostHogSource(IntegrationStore integrations, PostHogClient client, IOptions<PostHogOptions> options)
{
    public const string NotConfigured = "PostHog not configured: the workspace has no PostHog integration (PUT /api/integrations/posthog)";

    /// <exception cref="PostHogException">Not configured, or PostHog failed (after retries), refused the query or timed out.</exception>
    /// <param name="windowEnd">The end of the window counted: [windowEnd - time_window_days, windowEnd).</param>
    /// <param name="renew">Renews the run's lease; called between pages.</param>
    public async Task<PostHogCounts> FetchAsync(string workspaceId, SignalDefinition d, DateTimeOffset windowEnd, Func<Task> renew, CancellationToken cancellationToken)
    {
        var integration = await integrations.GetAsync(workspaceId, IntegrationStore.PostHog, cancellationToken) is { } stored
            ? PostHogIntegrationParser.FromStored(stored)
            : throw new PostHogException(NotConfigured, permanent: true);
        var pageSize = options.Value.PageSize;
        var windowStart = windowEnd.AddDays(-d.TimeWindowDays);
        var first = HogQL.Counts(d, integration, windowStart, windowEnd, pageSize, 0);
        var rows = new List<System.Text.Json.JsonElement>();
        var pages = 0;
        while (true)
        {
            if (pages > 0) await renew();
            var page = await client.QueryAsync(integration, pages == 0 ? first : HogQL.Counts(d, integration, windowStart, windowEnd, pageSize, rows.Count), cancellationToken);
            pages++;
            rows.AddRange(page);
            if (page.Count < pageSize) return new PostHogCounts(first, rows, pages);
        }
    }
}
