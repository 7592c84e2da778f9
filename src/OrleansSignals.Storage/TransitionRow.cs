namespace OrleansSignals.Storage;

/// <summary>A transition as history and the outbox store it; <see cref="Id"/> is the hook's <c>webhook-id</c>.</summary>
public sealed record TransitionRow(
    Guid Id,
    string WorkspaceId,
    string AccountId,
    DateTimeOffset OccurredAt,
    string Type,
    string? Key,
    string? OldValue,
    string? NewValue,
    int HealthScore);
