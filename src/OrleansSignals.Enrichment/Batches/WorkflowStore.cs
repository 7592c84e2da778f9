using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace OrleansSignals.Enrichment.Batches;

/// <summary>
/// Owns <c>workflow_states</c> and <c>enrichment_results</c>: hands out open work and records each attempt, the
/// immutable result row and the item's state in one statement, so that a succeeded step is never lost once recorded.
/// </summary>
public sealed class WorkflowStore(NpgsqlDataSource dataSource)
{
    public sealed record Attempt(string WorkspaceId, Guid BatchId, long ItemId, int Step, string Provider, int Number, AttemptOutcome Outcome,
        bool Final, TimeSpan Duration, DateTimeOffset ReceivedAt);

    /// <summary>Items of a step still pending (or running when a silo was lost), after <paramref name="afterItem"/>, in item order.</summary>
    public async Task<List<WorkItem>> OpenAsync(Guid batchId, int step, string provider, long afterItem, int limit, string[] header, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT w.batch_item_id, w.attempts, i.line, i.cells, i.first_name, i.last_name, i.email, i.title, i.company, i.linkedin_url, i.website
            FROM workflow_states w JOIN batch_items i ON i.id = w.batch_item_id
            WHERE w.batch_id = $1 AND w.step = $2 AND w.status IN ('pending', 'running') AND w.batch_item_id > $3
            ORDER BY w.batch_item_id
            LIMIT $4
            """);
        command.Parameters.Add(new() { Value = batchId });
        command.Parameters.Add(new() { Value = step });
        command.Parameters.Add(new() { Value = afterItem });
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<WorkItem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetInt64(0);
            var line = reader.GetInt32(2);
            var cells = reader.GetFieldValue<string[]>(3);
            var person = new JsonObject();
            for (var c = 0; c < Upload.LeadColumns.All.Count; c++)
                person[Upload.LeadColumns.All[c]] = reader.IsDBNull(4 + c) ? null : reader.GetString(4 + c);
            var row = new JsonObject();
            for (var c = 0; c < header.Length && c < cells.Length; c++) row[header[c]] = cells[c];
            var body = new JsonObject
            {
                ["batch_id"] = batchId.ToString(),
                ["item_id"] = id,
                ["line"] = line,
                ["step"] = step,
                ["provider"] = provider,
                ["person"] = person,
                ["row"] = row,
            };
            items.Add(new WorkItem(id, line, reader.GetInt32(1), body.ToJsonString()));
        }
        return items;
    }

    /// <summary>
    /// Appends the attempt to the audit log and moves the item's state: succeeded, failed (later steps skipped) or
    /// still running. False when the item is no longer open (cancelled) or this attempt number was already recorded
    /// (another activation has the item): then the caller leaves the item alone.
    /// </summary>
    public async Task<bool> RecordAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var state = attempt.Outcome.Status == AttemptOutcome.Succeeded ? "succeeded" : attempt.Final ? "failed" : "running";
        await using var batch = dataSource.CreateBatch();
        var insert = new NpgsqlBatchCommand("""
            WITH r AS (
                INSERT INTO enrichment_results (workspace_id, batch_id, batch_item_id, step, provider, attempt, status, http_status, json_payload, error, duration_ms, received_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                ON CONFLICT (batch_item_id, step, attempt) DO NOTHING
                RETURNING 1)
            UPDATE workflow_states SET attempts = $6, status = $13, last_http_status = $8, error = $10, updated_at = $12
            WHERE batch_item_id = $3 AND step = $4 AND status IN ('pending', 'running') AND EXISTS (SELECT FROM r)
            """);
        var outcome = attempt.Outcome;
        insert.Parameters.Add(new() { Value = attempt.WorkspaceId });
        insert.Parameters.Add(new() { Value = attempt.BatchId });
        insert.Parameters.Add(new() { Value = attempt.ItemId });
        insert.Parameters.Add(new() { Value = attempt.Step });
        insert.Parameters.Add(new() { Value = attempt.Provider });
        insert.Parameters.Add(new() { Value = attempt.Number });
        insert.Parameters.Add(new() { Value = outcome.Status == AttemptOutcome.Succeeded ? "succeeded" : outcome.Retryable && !attempt.Final ? "retrying" : "failed" });
        insert.Parameters.Add(new() { Value = (object?)outcome.HttpStatus ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        insert.Parameters.Add(new() { Value = (object?)outcome.Payload ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        insert.Parameters.Add(new() { Value = (object?)outcome.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new() { Value = (int)Math.Min(int.MaxValue, attempt.Duration.TotalMilliseconds) });
        insert.Parameters.Add(new() { Value = attempt.ReceivedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        insert.Parameters.Add(new() { Value = state });
        batch.BatchCommands.Add(insert);
        if (state == "failed")
        {
            var skip = new NpgsqlBatchCommand("UPDATE workflow_states SET status = 'skipped', updated_at = $3 WHERE batch_item_id = $1 AND step > $2 AND status = 'pending'");
            skip.Parameters.Add(new() { Value = attempt.ItemId });
            skip.Parameters.Add(new() { Value = attempt.Step });
            skip.Parameters.Add(new() { Value = attempt.ReceivedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            batch.BatchCommands.Add(skip);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        return insert.RecordsAffected > 0;
    }

    /// <summary>Fails every open item of a step whose provider is gone, and skips their later steps.</summary>
    public async Task FailStepAsync(Guid batchId, int step, string error, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH f AS (
                UPDATE workflow_states SET status = 'failed', error = $3, updated_at = now()
                WHERE batch_id = $1 AND step = $2 AND status IN ('pending', 'running')
                RETURNING batch_item_id)
            UPDATE workflow_states w SET status = 'skipped', updated_at = now()
            FROM f WHERE w.batch_item_id = f.batch_item_id AND w.step > $2 AND w.status = 'pending'
            """);
        command.Parameters.Add(new() { Value = batchId });
        command.Parameters.Add(new() { Value = step });
        command.Parameters.Add(new() { Value = error });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks every open step of the batch cancelled.</summary>
    public async Task CancelOpenAsync(Guid batchId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE workflow_states SET status = 'cancelled', updated_at = now() WHERE batch_id = $1 AND status IN ('pending', 'running')");
        command.Parameters.Add(new() { Value = batchId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static string? JsonOrNull(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? body : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
