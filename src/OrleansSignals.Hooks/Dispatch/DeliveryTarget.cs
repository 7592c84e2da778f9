namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// What sending to an endpoint needs, read by the fan-out with its routes so that it can hand new messages
/// straight to this host's senders. <see cref="Ready"/>: its circuit is closed and it is not down to probes.
/// </summary>
public sealed record DeliveryTarget(
    string Url,
    string Format,
    IReadOnlyList<string> Secrets,
    IReadOnlyDictionary<string, string>? Headers,
    int? RateLimitPerSecond,
    bool Ordered,
    bool Ready);
