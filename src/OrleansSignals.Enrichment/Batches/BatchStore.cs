using Npgsql;
using NpgsqlTypes;

namespace OrleansSignals.Enrichment.Batches;

/// <summary>Owns <c>enrichment_batches</c> after staging: status moves, counts and the consolidation report.</summary>
public sealed class BatchStore(NpgsqlDataSource dataSource, WorkflowStore workflow)
{
    private const string Select = """
        SELECT b.id, b.workspace_id, b.status, b.steps, b.item_count, u.header, u.file_name, b.error, b.created_at, b.started_at, b.finished_at,
               b.consolidated_at, b.consolidation::text
        FROM enrichment_batches b JOIN raw_uploads u ON u.batch_id = b.id
        """;

    /// <summary>The batch, only when it belongs to <paramref name="workspaceId"/> (any workspace when null).</summary>
    public async Task<BatchInfo?> FindAsync(string? workspaceId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Select + " WHERE b.id = $1 AND ($2::text IS NULL OR b.workspace_id = $2)");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = (object?)workspaceId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new BatchInfo(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3), reader.GetInt32(4),
            reader.GetFieldValue<string[]>(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.GetFieldValue<DateTimeOffset>(8), Nullable(reader, 9), Nullable(reader, 10), Nullable(reader, 11), reader.IsDBNull(12) ? null : reader.GetString(12));
    }

    /// <summary>pending or running -> running; false when the batch is already final.</summary>
    public async Task<bool> MarkRunningAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE enrichment_batches SET status = 'running', started_at = coalesce(started_at, now())
            WHERE id = $1 AND status IN ('pending', 'running')
            """);
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>running -> completed, or failed when no item succeeded every step.</summary>
    public async Task<string?> FinishAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE enrichment_batches b SET finished_at = now(),
                status = CASE WHEN EXISTS (SELECT FROM workflow_states w WHERE w.batch_id = b.id AND w.status = 'succeeded'
                                           AND w.step = cardinality(b.steps)) THEN 'completed' ELSE 'failed' END,
                error = CASE WHEN EXISTS (SELECT FROM workflow_states w WHERE w.batch_id = b.id AND w.status = 'succeeded'
                                          AND w.step = cardinality(b.steps)) THEN NULL ELSE 'no item succeeded every step' END
            WHERE id = $1 AND status = 'running'
            RETURNING status
            """);
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>
    /// Cancels a pending or running batch and its open steps. Returns the batch's status afterwards (null when the
    /// workspace has no such batch) and whether this call cancelled it.
    /// </summary>
    public async Task<(string? Status, bool Cancelled)> CancelAsync(string workspaceId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH c AS (UPDATE enrichment_batches SET status = 'cancelled', finished_at = now()
                       WHERE id = $1 AND workspace_id = $2 AND status IN ('pending', 'running') RETURNING status)
            SELECT (SELECT status FROM c), (SELECT status FROM enrichment_batches WHERE id = $1 AND workspace_id = $2)
            """);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = workspaceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var cancelled = !reader.IsDBNull(0);
        var status = cancelled ? BatchStatus.Cancelled : reader.IsDBNull(1) ? null : reader.GetString(1);
        await reader.DisposeAsync();
        if (cancelled) await workflow.CancelOpenAsync(id, cancellationToken);
        return (status, cancelled);
    }

    /// <summary>Items by state (an item is failed once a step failed, succeeded once every step did) and steps by state.</summary>
    public async Task<(Dictionary<string, long> Items, Dictionary<string, long> Steps)> CountsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT 'item', state, count(*) FROM (
                SELECT CASE WHEN bool_or(status = 'failed') THEN 'failed'
                            WHEN bool_or(status = 'cancelled') THEN 'cancelled'
                            WHEN bool_and(status = 'succeeded') THEN 'succeeded'
                            WHEN bool_or(status IN ('running', 'succeeded')) THEN 'running'
                            ELSE 'pending' END AS state
                FROM workflow_states WHERE batch_id = $1 GROUP BY batch_item_id) s
            GROUP BY state
            UNION ALL
            SELECT 'step', status, count(*) FROM workflow_states WHERE batch_id = $1 GROUP BY status
            """);
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new[] { "pending", "running", "succeeded", "failed", "cancelled" }.ToDictionary(s => s, _ => 0L);
        var steps = new[] { "pending", "running", "succeeded", "failed", "skipped", "cancelled" }.ToDictionary(s => s, _ => 0L);
        while (await reader.ReadAsync(cancellationToken))
            (reader.GetString(0) == "item" ? items : steps)[reader.GetString(1)] = reader.GetInt64(2);
        return (items, steps);
    }

    /// <summary>Removes a batch that was staged but could not be started, with everything staged for it.</summary>
    public async Task DeleteUnstartedAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM enrichment_batches WHERE id = $1 AND status = 'pending'");
        command.Parameters.Add(new() { Value = id });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SaveConsolidationAsync(Guid id, string report, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE enrichment_batches SET consolidated_at = now(), consolidation = $2 WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = report, NpgsqlDbType = NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DateTimeOffset? Nullable(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);
}
