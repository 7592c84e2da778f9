using System.ComponentModel.DataAnnotations;

namespace OrleansSignals.Hooks;

/// <summary>Hook delivery settings (section <c>Signals:Hooks</c>), validated at start-up.</summary>
public sealed class HookOptions
{
    /// <summary>How long one attempt may take, connect to last excerpt byte. Default 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Delay before each attempt, comma-separated (<c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>, <c>d</c>); one entry per
    /// attempt, so its length is the number of attempts before a message is a dead letter.
    /// Default <c>0s,5s,5m,30m,2h,5h,10h,14h,20h,24h</c>.
    /// </summary>
    [Required]
    public string RetrySchedule { get; set; } = "0s,5s,5m,30m,2h,5h,10h,14h,20h,24h";

    /// <summary>Each delay is moved by up to this fraction either way, so retries of many messages spread out. Default 0.2.</summary>
    [Range(0.0, 0.5)]
    public double Jitter { get; set; } = 0.2;

    /// <summary>An endpoint with no 2xx for this long is disabled and its workspace told. Default 5 days.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "90.00:00:00")]
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);

    /// <summary>Consecutive failures after which an endpoint's circuit opens: its messages wait. Default 5.</summary>
    [Range(1, 10_000)]
    public int CircuitFailureThreshold { get; set; } = 5;

    /// <summary>How long an open circuit stays open before one probe is let through. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "1.00:00:00")]
    public TimeSpan CircuitBreak { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts in flight to one endpoint from one host. Default 10.</summary>
    [Range(1, 1_000)]
    public int MaxConcurrencyPerEndpoint { get; set; } = 10;

    /// <summary>Attempts in flight from one host, all endpoints together. Default 512.</summary>
    [Range(1, 100_000)]
    public int MaxInFlight { get; set; } = 512;

    /// <summary>
    /// How long a claimed message is reserved for the host that claimed it. A host that dies mid-delivery
    /// leaves its messages to others after this. Must exceed <see cref="Timeout"/>. Default 45 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.5", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Fallback poll when no NOTIFY arrives (retries fall due without one). Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.01", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Outbox rows fanned out per transaction. Default 1000.</summary>
    [Range(1, 100_000)]
    public int FanoutBatchSize { get; set; } = 1000;

    /// <summary>Health moves smaller than this are not sent to endpoints that set no threshold. Default 10 points.</summary>
    [Range(1, 100)]
    public int DefaultHealthThreshold { get; set; } = 10;

    /// <summary>
    /// Allow destinations that are not public addresses: private, loopback, link-local, the host's own and every
    /// other block the IANA special-purpose registries mark not globally reachable. Off by default: a
    /// customer's URL must not reach the operator's own network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>
    /// Allow loopback destinations (127.0.0.0/8, ::1, localhost) and no other private address: for a demo or a
    /// receiver on the same machine. Off by default; scripts/run.sh turns it on.
    /// </summary>
    public bool AllowLoopback { get; set; }

    /// <summary>Most history rows one backfill sends. Default 100,000.</summary>
    [Range(1, 10_000_000)]
    public int MaxBackfill { get; set; } = 100_000;
}
