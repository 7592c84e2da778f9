using OrleansSignals.Exports.Runs;

namespace OrleansSignals.Exports.Schedules;

/// <summary>A recurring export: what to export (<see cref="Spec"/>, without a range) and when (<see cref="Cadence"/> at <see cref="At"/> UTC).</summary>
public sealed record ExportSchedule(Guid Id, string WorkspaceId, ExportRunSpec Spec, ExportCadence Cadence, TimeOnly At, DateTimeOffset CreatedAt)
{
    /// <summary>
    /// When the schedule queues its next run: <paramref name="now"/> when a period has begun that has no run yet (a
    /// new schedule's first period, or one the scheduler has not reached), else the next occurrence of <see cref="At"/>.
    /// </summary>
    /// <param name="lastPeriod">The start of the newest period that has a run, if any.</param>
    public DateTimeOffset NextRunAt(DateTimeOffset? lastPeriod, DateTimeOffset now)
    {
        var latest = ExportPeriods.LatestAtOrBefore(Cadence, At, now);
        return lastPeriod is null || lastPeriod < latest ? now : ExportPeriods.Next(Cadence, latest);
    }
}
