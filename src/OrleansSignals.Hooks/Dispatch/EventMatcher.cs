using OrleansSignals.Storage;
namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Whether an event goes to an endpoint: its event types, then its filters. Health thresholds need the
/// endpoint's baseline for the account and are applied afterwards (<see cref="HealthBaselines"/>).
/// </summary>
public static class EventMatcher
{
    public static bool Matches(EndpointRoute endpoint, HookEvent e)
    {
        // A test event names the one endpoint it is for, whatever that endpoint subscribes to.
        if (e.Type == EventTypes.WebhookTest)
            return e.Data?["endpoint_id"]?.GetValue<string>() is { } target && Guid.TryParse(target, out var id) && id == endpoint.Id;
        if (!endpoint.EventTypes.Contains(e.Type)) return false;
        var filters = endpoint.Filters;
        if (filters?.Accounts is { } accounts && e.AccountId is { } account && !accounts.Contains(account)) return false;
        if (filters?.Insights is { } insights && e.Type is EventTypes.InsightTriggered or EventTypes.InsightResolved
            && (e.Key is null || !insights.Contains(e.Key))) return false;
        return true;
    }
}
