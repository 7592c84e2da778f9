namespace OrleansSignals.Exports.Schedules;

/// <summary>
/// Period arithmetic. A period starts at an occurrence of the schedule (e.g. every day at 06:00 UTC)
/// and its run exports the calendar period before it: daily the previous UTC day, weekly the
/// previous week (Monday to Monday), monthly the previous month. The partition date of the files is
/// the first day of that range (a snapshot, which has no range, is filed under the day it is taken).
/// </summary>
public static class ExportPeriods
{
    public static IReadOnlyList<string> CadenceNames { get; } = ["daily", "weekly", "monthly"];

    public static bool TryParse(string? name, out ExportCadence cadence)
    {
        cadence = name switch { "daily" => ExportCadence.Daily, "weekly" => ExportCadence.Weekly, "monthly" => ExportCadence.Monthly, _ => (ExportCadence)(-1) };
        return cadence >= 0;
    }

    public static string Name(this ExportCadence cadence) => CadenceNames[(int)cadence];

    /// <summary>The latest occurrence at or before <paramref name="instant"/>.</summary>
    public static DateTimeOffset LatestAtOrBefore(ExportCadence cadence, TimeOnly at, DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        var candidate = cadence switch
        {
            ExportCadence.Daily => utc.Date,
            ExportCadence.Weekly => utc.Date.AddDays(-(((int)utc.DayOfWeek + 6) % 7)),
            _ => new DateTime(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc),
        } + at.ToTimeSpan();
        if (candidate > utc) candidate = Previous(cadence, candidate);
        return new DateTimeOffset(candidate, TimeSpan.Zero);
    }

    public static DateTimeOffset Next(ExportCadence cadence, DateTimeOffset occurrence) => cadence switch
    {
        ExportCadence.Daily => occurrence.AddDays(1),
        ExportCadence.Weekly => occurrence.AddDays(7),
        _ => occurrence.AddMonths(1),
    };

    /// <summary>The range a period's run exports: the calendar period before the occurrence's day.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Range(ExportCadence cadence, DateTimeOffset occurrence)
    {
        var to = new DateTimeOffset(occurrence.UtcDateTime.Date, TimeSpan.Zero);
        var from = cadence switch
        {
            ExportCadence.Daily => to.AddDays(-1),
            ExportCadence.Weekly => to.AddDays(-7),
            _ => to.AddMonths(-1),
        };
        return (from, to);
    }

    private static DateTime Previous(ExportCadence cadence, DateTime occurrence) => cadence switch
    {
        ExportCadence.Daily => occurrence.AddDays(-1),
        ExportCadence.Weekly => occurrence.AddDays(-7),
        _ => occurrence.AddMonths(-1),
    };
}
