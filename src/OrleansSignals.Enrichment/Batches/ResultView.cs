using System.Text.Json;

namespace OrleansSignals.Enrichment.Batches;

/// <summary>One attempt of the audit log as the API shows it; <see cref="JsonPayload"/> is the response as it came.</summary>
public sealed record ResultView(long Id, long ItemId, int Line, int Step, string Provider, int Attempt, string Status, int? HttpStatus,
    JsonElement? JsonPayload, string? Error, int DurationMs, DateTimeOffset ReceivedAt);
