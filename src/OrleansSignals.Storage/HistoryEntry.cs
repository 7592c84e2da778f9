namespace OrleansSignals.Storage;

/// <summary>One row of the transition history: the same id a hook carries as <c>webhook-id</c> and exports carry as <c>id</c>.</summary>
public sealed record HistoryEntry(
    Guid Id,
    string AccountId,
    DateTimeOffset OccurredAt,
    string Type,
    string? Key,
    string? OldValue,
    string? NewValue,
    int? HealthScore);
