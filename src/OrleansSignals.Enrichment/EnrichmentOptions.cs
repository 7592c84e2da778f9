using System.ComponentModel.DataAnnotations;

namespace OrleansSignals.Enrichment;

/// <summary>Enrichment settings (section <c>Signals:Enrichment</c>), validated at start-up.</summary>
public sealed class EnrichmentOptions
{
    /// <summary>Largest CSV accepted by an upload. Fixed by the product: 50 MB.</summary>
    public const long MaxFileBytes = 50L * 1024 * 1024;

    /// <summary>Most data rows accepted by an upload. Fixed by the product: 200,000.</summary>
    public const int MaxRows = 200_000;

    /// <summary>
    /// Allow provider URLs that resolve to private, loopback or link-local addresses. Off by default: a
    /// workspace's provider must not reach the operator's own network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Base64 of the 32-byte AES-256-GCM key that seals provider header values. Every host must have the same
    /// key. When empty, a key is derived from <c>Signals:AdminToken</c> (HKDF-SHA256), which every host shares too.
    /// </summary>
    public string? SecretKey { get; set; }

    /// <summary>Retries after the first attempt on 429, 5xx, timeouts and network errors. Default 5.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>First backoff delay (exponential, with jitter) when the provider sends no Retry-After. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait before a retry, Retry-After included. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Items a batch claims from PostgreSQL at a time. Default 256.</summary>
    [Range(1, 10_000)]
    public int PageSize { get; set; } = 256;
}
