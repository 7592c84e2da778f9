namespace OrleansSignals.Enrichment.Providers;

/// <summary>A provider as the API shows it: header names only, never their values.</summary>
public sealed record ProviderView(
    string Name,
    string Url,
    string Method,
    IReadOnlyList<string> HeaderNames,
    int RateLimitPerMinute,
    int Concurrency,
    int TimeoutMs,
    IReadOnlyDictionary<string, string[]> Mapping,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
