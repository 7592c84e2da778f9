using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace OrleansSignals.Api.Auth;

/// <summary>
/// A token bucket per client address for requests whose key or token is wrong. The per-key limit cannot cover
/// them: every guess is a key of its own, so each would get a fresh bucket.
/// </summary>
public sealed class FailedAuthLimiter(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.Value.FailedAuthBurst,
            TokensPerPeriod = options.Value.FailedAuthPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Counts one failed request; false when the address is over its limit.</summary>
    public bool Allow(HttpContext http)
    {
        using var lease = _limiter.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
