namespace OrleansSignals.Signals.Pipeline;

/// <summary>When a workspace's daily run is due: a local time of day in an IANA time zone. Default 06:00 UTC, enabled.</summary>
public sealed record PipelineSchedule(TimeOnly Time, string TimeZone, bool Enabled)
{
    public static readonly PipelineSchedule Default = new(new TimeOnly(6, 0), "UTC", true);

    /// <summary>
    /// The run due at <paramref name="now"/>: today's (local) day and the instant its run covers up to, once the local
    /// time has passed; null before it. A time that does not exist that day (a DST gap) moves forward by the gap.
    /// </summary>
    public (DateOnly Day, DateTimeOffset AsOf)? DueAt(DateTimeOffset now)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var day = DateOnly.FromDateTime(local.DateTime);
        var at = day.ToDateTime(Time);
        if (zone.IsInvalidTime(at)) at = at.AddHours(1);
        var asOf = new DateTimeOffset(at, zone.GetUtcOffset(at)).ToUniversalTime();
        return now >= asOf ? (day, asOf) : null;
    }
}
