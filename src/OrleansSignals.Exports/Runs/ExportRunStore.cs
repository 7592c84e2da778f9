using OrleansSignals.Storage;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Exports.Destinations;

namespace OrleansSignals.Exports.Runs;

/// <summary>The <c>export_runs</c> table: create, read, claim, progress, complete (with its outbox row), fail, delete.</summary>
public sealed partial class ExportRunStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        id, workspace_id, schedule_id, dataset, format, compression, destination::text, traits, range_from, range_to,
        partition_date, status, attempts, rows, bytes, progress, files::text, manifest, error, created_at, started_at, completed_at
        """;

    private const string InsertSql = """
        INSERT INTO export_runs (id, workspace_id, schedule_id, dataset, format, compression, destination, traits,
                                 range_from, range_to, partition_date, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12)
        """;

    /// <summary>Inserts a pending run; inside <paramref name="transaction"/> when given (schedules insert the run with its period).</summary>
    public async Task<ExportRun> CreateAsync(
        string workspaceId, ExportRunSpec spec, Guid? scheduleId, DateOnly partitionDate, DateTimeOffset now,
        CancellationToken cancellationToken, NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null, Guid? runId = null)
    {
        var id = runId ?? Guid.CreateVersion7(now);
        await using var command = connection is null ? dataSource.CreateCommand(InsertSql) : new NpgsqlCommand(InsertSql, connection, transaction);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = (object?)scheduleId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = spec.Dataset });
        command.Parameters.Add(new() { Value = spec.Format });
        command.Parameters.Add(new() { Value = spec.Compression });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(spec.Destination, WireJson.Options) });
        command.Parameters.Add(new() { Value = spec.Traits.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = spec.From is { } from ? from : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = spec.To is { } to ? to : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = partitionDate });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new ExportRun(id, workspaceId, scheduleId, spec.Dataset, spec.Format, spec.Compression, spec.Destination, spec.Traits,
            spec.From, spec.To, partitionDate, ExportRunStatus.Pending, 0, 0, 0, 0, [], null, null, now, null, null);
    }

    /// <summary>The workspace's runs, newest first.</summary>
    public async Task<IReadOnlyList<ExportRun>> ListAsync(string workspaceId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM export_runs WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = limit });
        return await ReadAllAsync(command, cancellationToken);
    }

    public async Task<ExportRun?> GetAsync(string workspaceId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM export_runs WHERE workspace_id = $1 AND id = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = id });
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>
    /// Claims the oldest pending run, or a running one whose lease expired (its host died), for
    /// <paramref name="owner"/>. SKIP LOCKED lets workers on other hosts claim other runs at once.
    /// </summary>
    public async Task<ExportRun?> ClaimAsync(string owner, TimeSpan lease, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH next AS (
                SELECT id FROM export_runs
                WHERE status = 'pending' OR (status = 'running' AND lease_until < now())
                ORDER BY created_at
                LIMIT 1
                FOR UPDATE SKIP LOCKED)
            UPDATE export_runs r
            SET status = 'running', attempts = r.attempts + 1, lease_owner = $1, lease_until = now() + $2,
                started_at = coalesce(r.started_at, $3), rows = 0, bytes = 0, progress = 0
            FROM next WHERE r.id = next.id
            RETURNING {string.Join(", ", Columns.Split(',').Select(c => "r." + c.Trim()))}
            """);
        command.Parameters.Add(new() { Value = owner });
        command.Parameters.Add(new() { Value = lease });
        command.Parameters.Add(new() { Value = now });
        return (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Records progress and renews the lease; false when the run is no longer this owner's (it was taken over or deleted).</summary>
    public async Task<bool> ReportProgressAsync(Guid id, string owner, long rows, long bytes, double progress, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE export_runs SET rows = $3, bytes = $4, progress = $5, lease_until = now() + $6
            WHERE id = $1 AND lease_owner = $2 AND status = 'running'
            """);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = owner });
        command.Parameters.Add(new() { Value = rows });
        command.Parameters.Add(new() { Value = bytes });
        command.Parameters.Add(new() { Value = progress });
        command.Parameters.Add(new() { Value = lease });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> FailAsync(Guid id, string owner, string error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE export_runs SET status = 'failed', error = $3, completed_at = $4, lease_owner = NULL, lease_until = NULL
            WHERE id = $1 AND lease_owner = $2 AND status = 'running'
            """);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = owner });
        command.Parameters.Add(new() { Value = error });
        command.Parameters.Add(new() { Value = now });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Deletes the record (the caller has removed the files); false when there is none.</summary>
    public async Task<bool> DeleteAsync(string workspaceId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM export_runs WHERE workspace_id = $1 AND id = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static async Task<List<ExportRun>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var runs = new List<ExportRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) runs.Add(Read(reader));
        return runs;
    }

    private static ExportRun Read(NpgsqlDataReader r) => new(
        r.GetGuid(0),
        r.GetString(1),
        r.IsDBNull(2) ? null : r.GetGuid(2),
        r.GetString(3),
        r.GetString(4),
        r.GetString(5),
        JsonSerializer.Deserialize<ExportDestinationSpec>(r.GetString(6), WireJson.Options)!,
        r.GetFieldValue<string[]>(7),
        r.IsDBNull(8) ? null : r.GetFieldValue<DateTimeOffset>(8),
        r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9),
        r.GetFieldValue<DateOnly>(10),
        r.GetString(11),
        r.GetInt32(12),
        r.GetInt64(13),
        r.GetInt64(14),
        r.GetDouble(15),
        JsonSerializer.Deserialize<List<ExportFile>>(r.GetString(16), WireJson.Options)!,
        r.IsDBNull(17) ? null : r.GetString(17),
        r.IsDBNull(18) ? null : r.GetString(18),
        r.GetFieldValue<DateTimeOffset>(19),
        r.IsDBNull(20) ? null : r.GetFieldValue<DateTimeOffset>(20),
        r.IsDBNull(21) ? null : r.GetFieldValue<DateTimeOffset>(21));
}
