using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using OrleansSignals.Enrichment.Providers;

namespace OrleansSignals.Enrichment.Batches;

/// <summary>
/// Each provider's concurrency and rate limit on this silo, shared by every batch of the workspace that calls it.
/// A provider changed since its limits were made gets new ones.
/// </summary>
public sealed class ProviderLimits
{
    public sealed class Limit(int rate, int concurrency, DateTimeOffset version) : IDisposable
    {
        public DateTimeOffset Version { get; } = version;

        public SemaphoreSlim Slots { get; } = new(concurrency, concurrency);

        /// <summary>
        /// A token bucket refilled every second with a sixtieth of the per-minute limit (or one token every
        /// 60/limit seconds below 60 a minute): never more than the limit in any minute, without minute-sized bursts.
        /// </summary>
        public RateLimiter Rate { get; } = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, rate / 60),
            TokensPerPeriod = Math.Max(1, rate / 60),
            ReplenishmentPeriod = rate >= 60 ? TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(60.0 / rate),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });

        public void Dispose()
        {
            Rate.Dispose();
            Slots.Dispose();
        }
    }

    private readonly ConcurrentDictionary<(string Workspace, string Name), Limit> _limits = new();

    public Limit For(Provider provider)
    {
        var key = (provider.WorkspaceId, provider.Name);
        while (true)
        {
            if (_limits.TryGetValue(key, out var current) && current.Version == provider.UpdatedAt) return current;
            var fresh = new Limit(provider.RateLimitPerMinute, provider.Concurrency, provider.UpdatedAt);
            if (current is null ? _limits.TryAdd(key, fresh) : _limits.TryUpdate(key, fresh, current)) return fresh;
            fresh.Dispose();
        }
    }
}
