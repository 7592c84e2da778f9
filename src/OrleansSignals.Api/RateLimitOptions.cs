using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace OrleansSignals.Api;

/// <summary>
/// Per-key request limits (section <c>Signals:RateLimit</c>): a token bucket per API key. The defaults are high
/// enough that the benchmarks run unthrottled; lower them for shared clusters.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Requests per second a key may sustain. Default 20,000.</summary>
    [Range(1, 10_000_000)]
    public int PermitsPerSecond { get; set; } = 20_000;

    /// <summary>Requests a key may send at once above the sustained rate. Default 20,000.</summary>
    [Range(1, 10_000_000)]
    public int Burst { get; set; } = 20_000;

    /// <summary>
    /// Requests with a missing or wrong key (or operator token) one client address may send per second before
    /// it gets 429 instead of 401, so that keys cannot be guessed at the speed of the API. Default 20.
    /// </summary>
    [Range(1, 10_000_000)]
    public int FailedAuthPerSecond { get; set; } = 20;

    /// <summary>Failed requests one client address may send at once above <see cref="FailedAuthPerSecond"/>. Default 100.</summary>
    [Range(1, 10_000_000)]
    public int FailedAuthBurst { get; set; } = 100;
}

/// <summary>Makes the token bucket of a key the first time the key is seen (<see cref="RateLimitOptions"/>).</summary>
public sealed class PerKeyBuckets
{
    public PerKeyBuckets(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        Create = _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Burst,
            TokensPerPeriod = limits.PermitsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    public Func<string, RateLimiter> Create { get; }
}
