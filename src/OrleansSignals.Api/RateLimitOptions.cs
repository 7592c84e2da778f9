using System.ComponentModel.DataAnnotations;

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
}
