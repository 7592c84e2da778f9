using System.Text.Json;

namespace OrleansSignals.Enrichment.Consolidation;

/// <summary>One succeeded attempt from the audit log.</summary>
public sealed record ProviderResult(long Id, string Provider, DateTimeOffset ReceivedAt, JsonElement Payload);
