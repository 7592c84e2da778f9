using OrleansSignals.Storage;
using Npgsql;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Decides which endpoints get which events (fan-out and backfill alike): types and filters first, then the
/// health thresholds against each endpoint's per-account baseline, read and written in the caller's
/// transaction.
/// </summary>
public static class HookRouter
{
    /// <param name="events">In the order they happened (outbox sequence): baselines move in that order.</param>
    public static async Task<List<(EndpointRoute Endpoint, HookEvent Event)>> RouteAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<HookEvent> events, Func<HookEvent, IReadOnlyList<EndpointRoute>> endpointsFor,
        int defaultHealthThreshold, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var candidates = new List<(EndpointRoute Endpoint, HookEvent Event)>();
        foreach (var e in events)
            foreach (var endpoint in endpointsFor(e))
                if (EventMatcher.Matches(endpoint, e)) candidates.Add((endpoint, e));
        var health = candidates.Where(c => c.Event.Type == EventTypes.HealthScoreChanged && c.Event.AccountId is not null)
            .Select(c => (c.Endpoint.Id, c.Event.AccountId!)).Distinct().ToList();
        if (health.Count == 0) return candidates;

        var baselines = await HealthBaselines.LoadAsync(connection, tx, health, cancellationToken);
        var rows = candidates.Where(c => c.Event.Type != EventTypes.HealthScoreChanged || baselines.Route(c.Endpoint, c.Event, defaultHealthThreshold)).ToList();
        await baselines.SaveAsync(connection, tx, now, cancellationToken);
        return rows;
    }
}
