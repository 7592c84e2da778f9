namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// Something a turn noticed. <see cref="Id"/> is given once, when the turn commits, and is the same id
/// in the history API, in exports and as the hook's <c>webhook-id</c>.
/// </summary>
public sealed record Transition(
    Guid Id,
    string Type,
    string? Key,
    string? OldValue,
    string? NewValue,
    int HealthScore,
    DateTimeOffset OccurredAt);
