using System.Text.Json;

namespace OrleansSignals.Enrichment.Providers;

/// <summary>
/// The body of <c>POST /api/enrichment/providers</c>. Optional fields take the defaults in
/// <see cref="ProviderDefaults"/>. <see cref="Mapping"/>: field -> JSON path or list of paths (first present wins).
/// </summary>
public sealed record ProviderRequest(
    string? Name,
    string? Url,
    string? Method,
    Dictionary<string, string>? Headers,
    int? RateLimitPerMinute,
    int? Concurrency,
    int? TimeoutMs,
    Dictionary<string, JsonElement>? Mapping);
