using System.Globalization;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>Whether an event goes to an endpoint: its event types, then its filters and thresholds.</summary>
public static class EventMatcher
{
    public static bool Matches(EndpointRoute endpoint, HookEvent e, int defaultHealthThreshold)
    {
        // A test event names the one endpoint it is for, whatever that endpoint subscribes to.
        if (e.Type == HookEventTypes.WebhookTest)
            return e.Data?["endpoint_id"]?.GetValue<string>() is { } target && Guid.TryParse(target, out var id) && id == endpoint.Id;
        if (!endpoint.EventTypes.Contains(e.Type)) return false;
        var filters = endpoint.Filters;
        if (filters?.Accounts is { } accounts && e.AccountId is { } account && !accounts.Contains(account)) return false;
        if (filters?.Insights is { } insights && e.Type is HookEventTypes.InsightTriggered or HookEventTypes.InsightResolved
            && (e.Key is null || !insights.Contains(e.Key))) return false;
        if (e.Type == HookEventTypes.HealthScoreChanged)
        {
            // The first score of an account is not a move: there is nothing to compare it with.
            if (!int.TryParse(e.OldValue, CultureInfo.InvariantCulture, out var old) || !int.TryParse(e.NewValue, CultureInfo.InvariantCulture, out var now))
                return false;
            var (drop, rise) = (filters?.HealthDropGte, filters?.HealthRiseGte) switch
            {
                (null, null) => ((int?)defaultHealthThreshold, (int?)defaultHealthThreshold),
                var given => given,
            };
            return (drop is { } d && old - now >= d) || (rise is { } r && now - old >= r);
        }
        return true;
    }
}
