using System.ComponentModel.DataAnnotations;

namespace OrleansSignals.Grains.Reminders;

/// <summary>Settings of the clustered reminders (section <c>Signals:Reminders</c>).</summary>
public sealed class ReminderOptions
{
    /// <summary>How often due accounts are looked for. Default 5 seconds: a time-based insight flips at most this late.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Accounts fetched per page of a sweep. Default 2000.</summary>
    [Range(1, 100_000)]
    public int SweepPageSize { get; set; } = 2000;

    /// <summary>
    /// An account whose checkpoint has stayed behind its journal this long is caught up by its workspace's reminder
    /// (once a minute). Default 30 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CatchUpAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest one sweep runs before leaving the rest to the next. Default 60 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SweepBudget { get; set; } = TimeSpan.FromSeconds(60);
}
