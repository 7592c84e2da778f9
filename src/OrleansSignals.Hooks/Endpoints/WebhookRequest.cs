namespace OrleansSignals.Hooks.Endpoints;

/// <summary>Body of <c>POST /api/webhooks</c> and <c>PUT /api/webhooks/{id}</c>.</summary>
public sealed record WebhookRequest(
    string? Url,
    IReadOnlyList<string>? EventTypes,
    string? Description = null,
    WebhookFilters? Filters = null,
    IReadOnlyDictionary<string, string>? Headers = null,
    int? RateLimitPerSecond = null,
    string? Format = null,
    bool? Ordered = null,
    string? Secret = null,
    DateTimeOffset? BackfillSince = null,
    bool? Enabled = null);
