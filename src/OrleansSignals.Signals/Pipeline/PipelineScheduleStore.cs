using Npgsql;

namespace OrleansSignals.Signals.Pipeline;

/// <summary>The one writer of <c>pipeline_schedules</c>; also says since when a workspace has had signals to run.</summary>
public sealed class PipelineScheduleStore(NpgsqlDataSource dataSource)
{
    public async Task<PipelineSchedule> GetAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT time_of_day, time_zone, enabled FROM pipeline_schedules WHERE workspace_id = $1");
        command.Parameters.Add(new() { Value = workspaceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new PipelineSchedule(TimeOnly.FromTimeSpan(reader.GetTimeSpan(0)), reader.GetString(1), reader.GetBoolean(2))
            : PipelineSchedule.Default;
    }

    public async Task SetAsync(string workspaceId, PipelineSchedule schedule, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO pipeline_schedules (workspace_id, time_of_day, time_zone, enabled) VALUES ($1, $2, $3, $4)
            ON CONFLICT (workspace_id) DO UPDATE SET time_of_day = excluded.time_of_day, time_zone = excluded.time_zone,
                enabled = excluded.enabled, updated_at = now()
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = schedule.Time.ToTimeSpan(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Time });
        command.Parameters.Add(new() { Value = schedule.TimeZone });
        command.Parameters.Add(new() { Value = schedule.Enabled });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>When the workspace's oldest active definition was created: scheduled runs start after it. Null: nothing to run.</summary>
    public async Task<DateTimeOffset?> ActiveSinceAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT min(created_at) FROM signal_definitions WHERE workspace_id = $1 AND is_active");
        command.Parameters.Add(new() { Value = workspaceId });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }
}
