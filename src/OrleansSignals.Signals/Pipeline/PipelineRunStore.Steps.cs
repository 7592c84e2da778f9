using System.Text.Json;
using Npgsql;

namespace OrleansSignals.Signals.Pipeline;

/// <summary>Steps and per-definition checkpoints of runs, and reading runs back.</summary>
public sealed partial class PipelineRunStore
{
    public async Task<PipelineRun?> GetAsync(string workspaceId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RunColumns} FROM pipeline_runs WHERE workspace_id = $1 AND id = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = id });
        return await WithDetailsAsync((await ReadRunsAsync(command, cancellationToken)).FirstOrDefault(), cancellationToken);
    }

    public async Task<PipelineRun?> LatestAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {RunColumns} FROM pipeline_runs WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1");
        command.Parameters.Add(new() { Value = workspaceId });
        return await WithDetailsAsync((await ReadRunsAsync(command, cancellationToken)).FirstOrDefault(), cancellationToken);
    }

    public async Task<IReadOnlyList<PipelineStep>> StepsAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT step, status, counts::text, started_at, finished_at, duration_ms, error, reason FROM pipeline_run_steps WHERE run_id = $1 ORDER BY ordinal
            """);
        command.Parameters.Add(new() { Value = runId });
        var steps = new List<PipelineStep>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            DateTimeOffset? At(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            steps.Add(new PipelineStep(reader.GetString(0), reader.GetString(1), Counts(reader.GetString(2)), At(3), At(4), reader.GetInt64(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        }
        return steps;
    }

    public async Task<IReadOnlyList<DefinitionOutcome>> DefinitionsAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT type, status, matched, stored, duration_ms, error FROM pipeline_run_definitions WHERE run_id = $1 ORDER BY type");
        command.Parameters.Add(new() { Value = runId });
        var list = new List<DefinitionOutcome>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            list.Add(new DefinitionOutcome(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetString(5)));
        return list;
    }

    /// <summary>Marks a step running (its first start is kept) and adds a slice's time to it.</summary>
    public Task StartStepAsync(Guid runId, string step, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE pipeline_run_steps SET status = 'running', started_at = coalesce(started_at, now()) WHERE run_id = $1 AND step = $2",
            cancellationToken, runId, step);

    public Task AddStepTimeAsync(Guid runId, string step, long milliseconds, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE pipeline_run_steps SET duration_ms = duration_ms + $3 WHERE run_id = $1 AND step = $2",
            cancellationToken, runId, step, milliseconds);

    /// <summary>Completes a step with its counts, inside the caller's transaction when it stores the step's last work.</summary>
    public static async Task CompleteStepAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, Guid runId, string step, IReadOnlyDictionary<string, long> counts, long milliseconds,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE pipeline_run_steps SET status = 'completed', counts = $3::jsonb, finished_at = now(), duration_ms = duration_ms + $4
            WHERE run_id = $1 AND step = $2
            """, connection, tx);
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = step });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(counts) });
        command.Parameters.Add(new() { Value = milliseconds });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Finishes a step as completed or skipped (with <paramref name="reason"/>), its error replaced by
    /// <paramref name="error"/>: what failed in part of a completed step, or nothing (an earlier attempt's error is cleared).
    /// </summary>
    public static async Task FinishStepAsync(
        NpgsqlConnection connection, Guid runId, string step, string status, string? reason, string? error, IReadOnlyDictionary<string, long> counts,
        long milliseconds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            UPDATE pipeline_run_steps SET status = $3, reason = $4, error = $5, counts = $6::jsonb, finished_at = now(), duration_ms = duration_ms + $7
            WHERE run_id = $1 AND step = $2
            """, connection);
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = step });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(counts) });
        command.Parameters.Add(new() { Value = milliseconds });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task FailStepAsync(Guid runId, string step, string error, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE pipeline_run_steps SET error = $3 WHERE run_id = $1 AND step = $2", cancellationToken, runId, step, error);

    /// <summary>Records one definition's outcome, inside the transaction that stored its occurrences (or alone, when it failed).</summary>
    public static async Task RecordDefinitionAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, Guid runId, DefinitionOutcome outcome, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO pipeline_run_definitions (run_id, type, status, matched, stored, duration_ms, error) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (run_id, type) DO NOTHING
            """, connection, tx);
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = outcome.Type });
        command.Parameters.Add(new() { Value = outcome.Status });
        command.Parameters.Add(new() { Value = outcome.Matched });
        command.Parameters.Add(new() { Value = outcome.Stored });
        command.Parameters.Add(new() { Value = outcome.DurationMs });
        command.Parameters.Add(new() { Value = (object?)outcome.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<PipelineRun?> WithDetailsAsync(PipelineRun? run, CancellationToken cancellationToken) =>
        run is null ? null : run with { Steps = await StepsAsync(run.Id, cancellationToken), Definitions = await DefinitionsAsync(run.Id, cancellationToken) };
}
