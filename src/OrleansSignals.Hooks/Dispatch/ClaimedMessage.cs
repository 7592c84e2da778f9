namespace OrleansSignals.Hooks.Dispatch;

/// <summary>A message this host has leased, with what sending it needs.</summary>
public sealed record ClaimedMessage(
    Guid Id,
    Guid EventId,
    Guid EndpointId,
    string WorkspaceId,
    string Payload,
    int Attempts,
    DateTimeOffset EventAt,
    string Url,
    string Format,
    IReadOnlyList<string> Secrets,
    IReadOnlyDictionary<string, string>? Headers,
    int? RateLimitPerSecond);
