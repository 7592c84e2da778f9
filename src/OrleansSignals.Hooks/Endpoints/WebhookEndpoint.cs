namespace OrleansSignals.Hooks.Endpoints;

/// <summary>
/// A stored endpoint, as the API shows it (the secret only where <see cref="Secret"/> is set). <see cref="ConsecutiveFailures"/>
/// counts attempts since the last 2xx; <see cref="CircuitOpenUntil"/> is set while the circuit is open (no attempts until then).
/// </summary>
public sealed record WebhookEndpoint(
    Guid Id,
    string Url,
    string? Description,
    IReadOnlyList<string> EventTypes,
    WebhookFilters? Filters,
    IReadOnlyDictionary<string, string>? Headers,
    int? RateLimitPerSecond,
    string Format,
    bool Ordered,
    bool Enabled,
    DateTimeOffset? DisabledAt,
    string? DisabledReason,
    DateTimeOffset? FailingSince,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int ConsecutiveFailures,
    DateTimeOffset? CircuitOpenUntil,
    string? Secret = null);
