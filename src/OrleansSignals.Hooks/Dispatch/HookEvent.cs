using System.Text.Json.Nodes;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// An event to deliver: an outbox row (with its history details for account transitions) or a history
/// row replayed by a backfill. <see cref="Id"/> is the transition id, sent as <c>webhook-id</c>.
/// </summary>
public sealed record HookEvent(
    long Seq,
    Guid Id,
    string WorkspaceId,
    string? AccountId,
    string Type,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    string? Key,
    string? OldValue,
    string? NewValue,
    int? HealthScore,
    JsonObject? Data);
