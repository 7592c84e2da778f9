namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// Hourly event counts. Windows resolve to the hour: an event counts for a window of N days until the
/// end of its hour is N days ago, so it may count up to one hour longer than exactly N days.
/// </summary>
public static class EventWindow
{
    public static long HourOf(DateTimeOffset at) => (long)Math.Floor(at.ToUnixTimeSeconds() / 3600d);

    public static DateTimeOffset StartOf(long hour) => DateTimeOffset.FromUnixTimeSeconds(hour * 3600);

    /// <summary>Adds one event to the sorted hour list.</summary>
    public static void Add(List<HourCount> hours, DateTimeOffset at)
    {
        var hour = HourOf(at);
        // Events mostly arrive in time order: look from the end.
        var i = hours.Count - 1;
        while (i >= 0 && hours[i].Hour > hour) i--;
        if (i >= 0 && hours[i].Hour == hour) hours[i] = hours[i] with { Count = hours[i].Count + 1 };
        else hours.Insert(i + 1, new HourCount(hour, 1));
    }

    /// <summary>Events whose hour ends after <paramref name="now"/> minus the window.</summary>
    public static int Count(List<HourCount>? hours, DateTimeOffset now, int windowDays)
    {
        if (hours is null) return 0;
        var firstCounted = FirstCountedHour(now, windowDays);
        var count = 0;
        for (var i = hours.Count - 1; i >= 0 && hours[i].Hour >= firstCounted; i--)
        {
            if (hours[i].Hour <= HourOf(now)) count += hours[i].Count;
        }
        return count;
    }

    /// <summary>When the next counted hour leaves the window (the count drops), or null if nothing is counted.</summary>
    public static DateTimeOffset? NextExpiry(List<HourCount>? hours, DateTimeOffset now, int windowDays)
    {
        if (hours is null) return null;
        var firstCounted = FirstCountedHour(now, windowDays);
        foreach (var h in hours)
        {
            if (h.Hour >= firstCounted) return StartOf(h.Hour + 1).AddDays(windowDays);
        }
        return null;
    }

    /// <summary>When an event in the future (clock skew) enters the window, or null.</summary>
    public static DateTimeOffset? NextEntry(List<HourCount>? hours, DateTimeOffset now)
    {
        if (hours is null) return null;
        var current = HourOf(now);
        foreach (var h in hours)
        {
            if (h.Hour > current) return StartOf(h.Hour);
        }
        return null;
    }

    /// <summary>Drops hours older than the retention.</summary>
    public static void Prune(List<HourCount> hours, DateTimeOffset now, int retentionDays)
    {
        var keepFrom = FirstCountedHour(now, retentionDays);
        var drop = 0;
        while (drop < hours.Count && hours[drop].Hour < keepFrom) drop++;
        if (drop > 0) hours.RemoveRange(0, drop);
    }

    // An hour h counts while StartOf(h + 1) > now - window, which holds exactly for h >= HourOf(now - window).
    private static long FirstCountedHour(DateTimeOffset now, int windowDays) => HourOf(now.AddDays(-windowDays));
}
