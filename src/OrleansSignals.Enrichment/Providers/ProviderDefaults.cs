namespace OrleansSignals.Enrichment.Providers;

/// <summary>What a provider gets when its request leaves a field out.</summary>
public static class ProviderDefaults
{
    public const string Method = "POST";
    public const int RateLimitPerMinute = 600;
    public const int Concurrency = 4;
    public const int TimeoutMs = 10_000;
}
