using System.ComponentModel.DataAnnotations;

namespace OrleansSignals.Signals.PostHog;

/// <summary>
/// How this host talks to PostHog (section <c>Signals:PostHog</c>); the host, project and personal API key are each
/// workspace's (PUT /api/integrations/posthog).
/// </summary>
public sealed class PostHogOptions
{
    /// <summary>Longest one query (POST /api/projects/{id}/query/) may take; over it, the definition fails and is skipped. Default 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Per request to the other endpoints (adding persons to a cohort). Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Query requests per <see cref="QueryRateWindow"/> per API key. Default 120 per hour: the lowest figure PostHog
    /// documents for HogQL queries (a team's limit can be raised; raise this with it).
    /// </summary>
    [Range(1, 1_000_000)]
    public int QueryRateLimit { get; set; } = 120;

    /// <summary>Default one hour.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan QueryRateWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Requests to the other endpoints per <see cref="RateWindow"/> per API key. Default 480 per minute (PostHog's burst limit for its CRUD endpoints).</summary>
    [Range(1, 1_000_000)]
    public int RateLimit { get; set; } = 480;

    /// <summary>Default one minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Tries of one request on 429 or 5xx before it fails. Default 5.</summary>
    [Range(1, 50)]
    public int MaxTries { get; set; } = 5;

    /// <summary>Rows asked per query page (LIMIT ... OFFSET ...). PostHog returns at most 50,000 rows per query (10,000 on older self-hosted versions). Default 10,000.</summary>
    [Range(1, 50_000)]
    public int PageSize { get; set; } = 10_000;

    /// <summary>Person ids per request to add_persons_to_static_cohort: PostHog refuses more than 1,000. Default 1,000.</summary>
    [Range(1, 1_000)]
    public int CohortBatchSize { get; set; } = 1_000;

    /// <summary>Whether a workspace's PostHog host may be a loopback address (127.0.0.0/8, ::1). Default false.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Whether a workspace's PostHog host may be any private or special-purpose address (a self-hosted PostHog on the LAN). Default false.</summary>
    public bool AllowPrivateNetworks { get; set; }
}
