namespace OrleansSignals.Enrichment.Providers;

/// <summary>A provider as the batch runner uses it: headers unsealed, mapping resolved.</summary>
public sealed record Provider(
    string WorkspaceId,
    string Name,
    Uri Url,
    string Method,
    IReadOnlyDictionary<string, string> Headers,
    int RateLimitPerMinute,
    int Concurrency,
    int TimeoutMs,
    Consolidation.ResponseMapping Mapping,
    DateTimeOffset UpdatedAt);
