namespace OrleansSignals.Hooks.Endpoints;

/// <summary>A message as the delivery log shows it, with every attempt.</summary>
public sealed record DeliveryView(
    Guid Id,
    Guid EndpointId,
    Guid EventId,
    string Type,
    string? AccountId,
    string Status,
    int AttemptCount,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    string? LastError,
    IReadOnlyList<AttemptView> Attempts);

/// <summary>One attempt: when, the status code (none when no response came), latency, error, up to 4 KB of the response.</summary>
public sealed record AttemptView(DateTimeOffset AttemptedAt, int? StatusCode, int LatencyMs, string? Error, string? ResponseExcerpt);
