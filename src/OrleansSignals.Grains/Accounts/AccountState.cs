using System.Text.Json;

namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// What an account grain persists (as JSON in <c>accounts.state</c>). Mutated only inside a turn;
/// each read gets an <see cref="AccountView"/> copied from it.
/// </summary>
public sealed class AccountState
{
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? LastEventAt { get; set; }

    /// <summary>Last occurrence of every event name the account has sent.</summary>
    public Dictionary<string, DateTimeOffset> LastSeen { get; set; } = [];

    /// <summary>Event counts per UTC hour, per event name (totals over all names are summed when needed), kept for the workspace's longest window.</summary>
    public Dictionary<string, List<HourCount>> Hours { get; set; } = [];

    /// <summary>Latest value of each numeric event property, keyed by <see cref="MetricKeys.Event"/>.</summary>
    public Dictionary<string, MetricPoint> Latest { get; set; } = [];

    /// <summary>Values over time of the properties and traits an anomaly insight watches (see <see cref="MetricKeys"/>).</summary>
    public Dictionary<string, List<MetricPoint>> Series { get; set; } = [];

    public Dictionary<string, JsonElement> Traits { get; set; } = [];

    public Dictionary<string, InsightStatus> Insights { get; set; } = [];

    public int? HealthScore { get; set; }

    /// <summary>The score the last <c>health_score.changed</c> transition recorded.</summary>
    public int? RecordedHealthScore { get; set; }

    /// <summary>The workspace configuration version this state was last evaluated with.</summary>
    public long ConfigVersion { get; set; }

    /// <summary>The next time a time-based rule may change something, without any new event.</summary>
    public DateTimeOffset? NextDueAt { get; set; }

    /// <summary>How many turns without events (traits, time) this account has had: their transitions' cause.</summary>
    public long QuietTurns { get; set; }

    /// <summary>The <see cref="MetricKeys.Format"/> of <see cref="Latest"/> and <see cref="Series"/> (0 in states written before it existed).</summary>
    public int KeyFormat { get; set; }

    /// <summary>At most this many distinct event properties' latest values are remembered per account.</summary>
    public const int MaxLatestKeys = 500;

    public static AccountState New(DateTimeOffset now) => new() { CreatedAt = now, UpdatedAt = now, KeyFormat = MetricKeys.Format };

    public AccountView ToView(string accountId) => new(
        accountId,
        HealthScore ?? 0,
        new Dictionary<string, InsightStatus>(Insights),
        new Dictionary<string, DateTimeOffset>(LastSeen),
        new Dictionary<string, JsonElement>(Traits),
        UpdatedAt);
}

/// <summary>Events counted in the UTC hour starting at <see cref="Hour"/> (hours since the Unix epoch).</summary>
public record struct HourCount(long Hour, int Count);

public record struct MetricPoint(DateTimeOffset At, double Value);
