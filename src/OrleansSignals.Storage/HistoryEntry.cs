using System.Text.Json;

namespace OrleansSignals.Storage;

/// <summary>
/// One row of the transition history: the same id a hook carries as <c>webhook-id</c> and exports carry as <c>id</c>.
/// <see cref="OldValue"/> and <see cref="NewValue"/> have the types the hook carries: booleans for insights,
/// integers for health scores, ISO 8601 strings for lifecycle events.
/// </summary>
public sealed record HistoryEntry(
    Guid Id,
    string AccountId,
    DateTimeOffset OccurredAt,
    string Type,
    string? Key,
    JsonElement? OldValue,
    JsonElement? NewValue,
    int? HealthScore);
