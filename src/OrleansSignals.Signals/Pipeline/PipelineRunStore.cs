using System.Text.Json;
using Npgsql;

namespace OrleansSignals.Signals.Pipeline;

/// <summary>
/// The one writer of <c>pipeline_runs</c>, <c>pipeline_run_steps</c> and <c>pipeline_run_definitions</c>. Leases are
/// on the database's clock, so hosts whose clocks disagree still agree on who holds a run.
/// </summary>
public sealed partial class PipelineRunStore(NpgsqlDataSource dataSource)
{
    private const string RunColumns = "id, workspace_id, run_key, trigger, status, as_of, created_at, started_at, finished_at, attempts, error";

    /// <summary>A manual run, unless one of the workspace's runs is pending or running (null then).</summary>
    public async Task<PipelineRun?> CreateManualAsync(string workspaceId, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await LockWorkspaceAsync(connection, tx, workspaceId, cancellationToken);
        await using (var busy = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pipeline_runs WHERE workspace_id = $1 AND status IN ('pending', 'running'))", connection, tx))
        {
            busy.Parameters.Add(new() { Value = workspaceId });
            if ((bool)(await busy.ExecuteScalarAsync(cancellationToken))!) return null;
        }
        var id = Guid.CreateVersion7(asOf);
        var run = await InsertAsync(connection, tx, id, workspaceId, $"{PipelineWords.Manual}:{id}", PipelineWords.Manual, asOf, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return run;
    }

    /// <summary>The scheduled run of that local day; true when this call created it (any host may ask, one creates it).</summary>
    public async Task<bool> EnsureScheduledAsync(string workspaceId, DateOnly localDay, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await LockWorkspaceAsync(connection, tx, workspaceId, cancellationToken);
        var key = $"{PipelineWords.Scheduled}:{localDay:yyyy-MM-dd}";
        var created = await InsertAsync(connection, tx, Guid.CreateVersion7(asOf), workspaceId, key, PipelineWords.Scheduled, asOf, cancellationToken) is not null;
        await tx.CommitAsync(cancellationToken);
        return created;
    }

    /// <summary>
    /// Takes the workspace's next run to work on: its running run whose lease has run out (resumed), else its oldest
    /// pending run when none is running. The lease is held until <see cref="ReleaseAsync"/> or it runs out.
    /// </summary>
    public async Task<PipelineRun?> ClaimAsync(string workspaceId, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH next AS (
                SELECT id FROM pipeline_runs r
                WHERE workspace_id = $1
                  AND ((status = 'running' AND (leased_until IS NULL OR leased_until < now()))
                       OR (status = 'pending' AND NOT EXISTS (SELECT 1 FROM pipeline_runs o WHERE o.workspace_id = $1 AND o.status = 'running')))
                ORDER BY status = 'running' DESC, created_at
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            UPDATE pipeline_runs r SET status = 'running', started_at = coalesce(started_at, now()), attempts = attempts + 1,
                   leased_until = now() + $2
            FROM next WHERE r.id = next.id
            RETURNING {string.Join(", ", RunColumns.Split(", ").Select(c => "r." + c))}
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = lease });
        try
        {
            return (await ReadRunsAsync(command, cancellationToken)).FirstOrDefault();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another host started a pending run at the same moment: it has it.
            return null;
        }
    }

    /// <summary>Extends the lease; false when this host no longer holds the run (it ran out and another took it).</summary>
    public async Task<bool> RenewAsync(Guid runId, int attempt, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE pipeline_runs SET leased_until = now() + $3 WHERE id = $1 AND attempts = $2 AND status = 'running'");
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = attempt });
        command.Parameters.Add(new() { Value = lease });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Gives the run back unfinished (its time budget is spent): the next tick resumes it.</summary>
    public Task ReleaseAsync(Guid runId, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE pipeline_runs SET leased_until = NULL WHERE id = $1 AND status = 'running'", cancellationToken, runId);

    public Task CompleteAsync(Guid runId, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE pipeline_runs SET status = 'completed', finished_at = now(), leased_until = NULL, error = NULL WHERE id = $1", cancellationToken, runId);

    /// <summary>Records an unexpected error: the run is resumed later, or failed once it has had <paramref name="maxAttempts"/>.</summary>
    public Task RecordErrorAsync(Guid runId, string error, int maxAttempts, CancellationToken cancellationToken) =>
        ExecuteAsync("""
            UPDATE pipeline_runs SET error = $2, leased_until = NULL,
                   status = CASE WHEN attempts >= $3 THEN 'failed' ELSE status END,
                   finished_at = CASE WHEN attempts >= $3 THEN now() END
            WHERE id = $1
            """, cancellationToken, runId, error, maxAttempts);

    /// <summary>The cutoff of the workspace's latest earlier run whose evaluation completed; null when there is none.</summary>
    public async Task<DateTimeOffset?> PreviousCutoffAsync(string workspaceId, Guid runId, DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT max(r.as_of) FROM pipeline_runs r JOIN pipeline_run_steps s ON s.run_id = r.id AND s.step = 'evaluate' AND s.status = 'completed'
            WHERE r.workspace_id = $1 AND r.id <> $2 AND r.as_of <= $3
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = asOf });
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }

    private static async Task LockWorkspaceAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, tx);
        command.Parameters.Add(new() { Value = "pipeline|" + workspaceId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<PipelineRun?> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, Guid id, string workspaceId, string key, string trigger, DateTimeOffset asOf,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            WITH r AS (
                INSERT INTO pipeline_runs (id, workspace_id, run_key, trigger, status, as_of) VALUES ($1, $2, $3, $4, 'pending', $5)
                ON CONFLICT (workspace_id, run_key) DO NOTHING
                RETURNING {RunColumns}),
            s AS (
                INSERT INTO pipeline_run_steps (run_id, step, ordinal, status)
                SELECT r.id, step, ordinal, 'pending' FROM r, unnest($6::text[]) WITH ORDINALITY AS t(step, ordinal))
            SELECT * FROM r
            """, connection, tx);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = key });
        command.Parameters.Add(new() { Value = trigger });
        command.Parameters.Add(new() { Value = asOf });
        command.Parameters.Add(new() { Value = PipelineWords.Steps.ToArray() });
        return (await ReadRunsAsync(command, cancellationToken)).FirstOrDefault();
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new() { Value = p });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<PipelineRun>> ReadRunsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var runs = new List<PipelineRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            DateTimeOffset? At(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            runs.Add(new PipelineRun(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6), At(7), At(8), reader.GetInt32(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }
        return runs;
    }

    private static Dictionary<string, long> Counts(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, long>>(json) ?? [];
}
