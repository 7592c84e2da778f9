using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansSignals.Exports.Datasets;
using OrleansSignals.Exports.Runs;

namespace OrleansSignals.Exports.Schedules;

/// <summary>
/// Inserts the runs of schedule periods that are due. The first period of a schedule is the latest
/// occurrence at or before its creation (a new daily schedule exports yesterday at once); after
/// downtime every missed period is caught up (at most <see cref="MaxCatchUp"/>; a current-state
/// dataset only gets the latest, since an old snapshot cannot be taken after the fact). Each period
/// and its run are inserted in one transaction and the (schedule, period) key makes a second host's
/// attempt a no-op: exactly one run per period across hosts.
/// </summary>
public sealed partial class ExportScheduler(
    NpgsqlDataSource dataSource,
    ExportScheduleStore schedules,
    ExportRunStore runs,
    ExportDatasets datasets,
    ExportWakeup wakeup,
    TimeProvider time,
    ILogger<ExportScheduler> logger)
{
    public const int MaxCatchUp = 31;

    /// <summary>Creates the due runs; returns how many this call created.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var created = 0;
        foreach (var schedule in await schedules.ListAsync(null, cancellationToken))
        {
            var latest = ExportPeriods.LatestAtOrBefore(schedule.Cadence, schedule.At, now);
            var first = ExportPeriods.LatestAtOrBefore(schedule.Cadence, schedule.At, schedule.CreatedAt);
            var done = await LastPeriodAsync(schedule.Id, cancellationToken);
            var due = new List<DateTimeOffset>();
            for (var p = done is { } d ? ExportPeriods.Next(schedule.Cadence, d) : first; p <= latest; p = ExportPeriods.Next(schedule.Cadence, p)) due.Add(p);
            var ranged = datasets.Find(schedule.Spec.Dataset)?.Ranged ?? true;
            foreach (var period in ranged ? due.TakeLast(MaxCatchUp) : due.TakeLast(1))
            {
                if (await CreateRunAsync(schedule, period, ranged, now, cancellationToken)) created++;
            }
        }
        if (created > 0) wakeup.Notify();
        return created;
    }

    private async Task<DateTimeOffset?> LastPeriodAsync(Guid scheduleId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT max(period_start) FROM export_schedule_periods WHERE schedule_id = $1");
        command.Parameters.Add(new() { Value = scheduleId });
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DateTime utc ? new DateTimeOffset(utc, TimeSpan.Zero) : null;
    }

    private async Task<bool> CreateRunAsync(ExportSchedule schedule, DateTimeOffset period, bool ranged, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (from, to) = ExportPeriods.Range(schedule.Cadence, period);
        var spec = ranged ? schedule.Spec with { From = from, To = to } : schedule.Spec;
        // A ranged dataset is filed under the first day it covers; a snapshot under the day it is taken (the run is
        // created now), not under its period's start: a weekly snapshot set up on a Sunday was filed under Monday.
        var partition = DateOnly.FromDateTime((ranged ? from : now).UtcDateTime);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var runId = Guid.CreateVersion7(now);
        await using (var claim = new NpgsqlCommand("""
            INSERT INTO export_schedule_periods (schedule_id, period_start, run_id) VALUES ($1, $2, $3)
            ON CONFLICT (schedule_id, period_start) DO NOTHING
            """, connection, tx))
        {
            claim.Parameters.Add(new() { Value = schedule.Id });
            claim.Parameters.Add(new() { Value = period });
            claim.Parameters.Add(new() { Value = runId });
            if (await claim.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        }
        var run = await runs.CreateAsync(schedule.WorkspaceId, spec, schedule.Id, partition, now, cancellationToken, connection, tx, runId);
        await tx.CommitAsync(cancellationToken);
        LogScheduled(schedule.WorkspaceId, schedule.Id, period, run.Id);
        return true;
    }

    [LoggerMessage(LogLevel.Information, "{Workspace} export schedule {Schedule}: period {Period} queued as run {Run}")]
    private partial void LogScheduled(string workspace, Guid schedule, DateTimeOffset period, Guid run);
}
