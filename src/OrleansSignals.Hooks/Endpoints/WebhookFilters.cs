namespace OrleansSignals.Hooks.Endpoints;

/// <summary>
/// Narrows what an endpoint receives. <c>insights</c> limits insight.* events to those keys; <c>accounts</c>
/// limits account events to those accounts; <c>health_drop_gte</c> / <c>health_rise_gte</c> are the smallest
/// health moves sent (neither set: both are <see cref="HookOptions.DefaultHealthThreshold"/>; one set: only
/// that direction is sent).
/// </summary>
public sealed record WebhookFilters(
    IReadOnlyList<string>? Insights = null,
    int? HealthDropGte = null,
    int? HealthRiseGte = null,
    IReadOnlyList<string>? Accounts = null);
