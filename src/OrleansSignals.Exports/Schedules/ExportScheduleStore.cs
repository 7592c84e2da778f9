using OrleansSignals.Storage;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Exports.Destinations;
using OrleansSignals.Exports.Runs;

namespace OrleansSignals.Exports.Schedules;

/// <summary>The <c>export_schedules</c> table.</summary>
public sealed class ExportScheduleStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, workspace_id, dataset, format, compression, destination::text, traits, cadence, at_time, created_at";

    public async Task<ExportSchedule> CreateAsync(string workspaceId, ExportRunSpec spec, ExportCadence cadence, TimeOnly at, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var schedule = new ExportSchedule(Guid.CreateVersion7(now), workspaceId, spec with { From = null, To = null }, cadence, at, now);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO export_schedules (id, workspace_id, dataset, format, compression, destination, traits, cadence, at_time, created_at)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10)
            """);
        command.Parameters.Add(new() { Value = schedule.Id });
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = spec.Dataset });
        command.Parameters.Add(new() { Value = spec.Format });
        command.Parameters.Add(new() { Value = spec.Compression });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(spec.Destination, WireJson.Options) });
        command.Parameters.Add(new() { Value = spec.Traits.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = cadence.Name() });
        command.Parameters.Add(new() { Value = at });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return schedule;
    }

    /// <summary>One workspace's schedules, or every schedule when <paramref name="workspaceId"/> is null (the scheduler).</summary>
    public async Task<IReadOnlyList<ExportSchedule>> ListAsync(string? workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM export_schedules WHERE $1::text IS NULL OR workspace_id = $1 ORDER BY created_at, id");
        command.Parameters.Add(new() { Value = (object?)workspaceId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var schedules = new List<ExportSchedule>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ExportPeriods.TryParse(reader.GetString(7), out var cadence);
            schedules.Add(new ExportSchedule(
                reader.GetGuid(0),
                reader.GetString(1),
                new ExportRunSpec(reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    JsonSerializer.Deserialize<ExportDestinationSpec>(reader.GetString(5), WireJson.Options)!, reader.GetFieldValue<string[]>(6), null, null),
                cadence,
                reader.GetFieldValue<TimeOnly>(8),
                reader.GetFieldValue<DateTimeOffset>(9)));
        }
        return schedules;
    }

    /// <summary>
    /// The newest period each schedule of the workspace has queued, by schedule, with its run unless that run was
    /// deleted since (<c>DELETE /api/datalake/exports/{id}</c>).
    /// </summary>
    public async Task<Dictionary<Guid, (DateTimeOffset Period, ScheduledRun? Run)>> LastPeriodsAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT DISTINCT ON (s.id) s.id, p.period_start, r.id, r.status, r.created_at, r.completed_at
            FROM export_schedules s
            JOIN export_schedule_periods p ON p.schedule_id = s.id
            LEFT JOIN export_runs r ON r.id = p.run_id
            WHERE s.workspace_id = $1
            ORDER BY s.id, p.period_start DESC
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        var periods = new Dictionary<Guid, (DateTimeOffset, ScheduledRun?)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var run = reader.IsDBNull(2) ? null : new ScheduledRun(reader.GetGuid(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
            periods[reader.GetGuid(0)] = (reader.GetFieldValue<DateTimeOffset>(1), run);
        }
        return periods;
    }

    public async Task<bool> DeleteAsync(string workspaceId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM export_schedules WHERE workspace_id = $1 AND id = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}

/// <summary>A run a schedule queued: its id (as in <c>/api/datalake/exports</c>), status, and when it was queued and completed.</summary>
public sealed record ScheduledRun(Guid Id, string Status, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);
