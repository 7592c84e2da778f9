using Npgsql;
using System.Text.Json;

namespace OrleansSignals.Signals.Delivery;

/// <summary>The one writer of <c>signal_deliveries</c>: per occurrence and destination, pending, delivered, failed or skipped.</summary>
public sealed class SignalDeliveryStore(NpgsqlDataSource dataSource)
{
    /// <summary>One pending row per new occurrence of the run and active config for its type (idempotent).</summary>
    public async Task<int> PlanAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO signal_deliveries (signal_id, config_id, workspace_id, run_id, destination_type, destination, status)
            SELECT s.id, c.id, s.workspace_id, s.run_id, c.destination_type,
                   CASE c.destination_type
                       WHEN 'attio_list' THEN 'attio list ' || (c.destination_config->>'list_id')
                       WHEN 'posthog_cohort' THEN 'posthog cohort ' || (c.destination_config->>'cohort_id')
                       ELSE c.destination_type || ' endpoints subscribed to signal.detected' END,
                   'pending'
            FROM signals s
            JOIN signal_delivery_configs c ON c.workspace_id = s.workspace_id AND c.is_active AND (c.signal_type = s.type OR c.signal_type = '*')
            WHERE s.run_id = $1
            ON CONFLICT (signal_id, config_id) DO NOTHING
            """);
        command.Parameters.Add(new() { Value = runId });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PendingDelivery>> PendingAsync(Guid runId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT d.signal_id, d.config_id, d.destination_type, coalesce(c.destination_config::text, '{}'), d.attempts,
                   s.type, s.account_id, s.person_id, s.value, s.detected_at, s.window_start, s.window_end,
                   a.state::jsonb -> 'traits' ->> 'domain'
            FROM signal_deliveries d
            JOIN signals s ON s.id = d.signal_id
            LEFT JOIN signal_delivery_configs c ON c.id = d.config_id
            LEFT JOIN accounts a ON a.workspace_id = s.workspace_id AND a.account_id = s.account_id
            WHERE d.run_id = $1 AND d.status = 'pending'
            ORDER BY d.signal_id, d.config_id
            LIMIT $2
            """);
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = limit });
        var list = new List<PendingDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new PendingDelivery(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), JsonDocument.Parse(reader.GetString(3)).RootElement.Clone(),
                reader.GetInt32(4), reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetDouble(8),
                reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10), reader.GetFieldValue<DateTimeOffset>(11),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        }
        return list;
    }

    public async Task MarkAsync(Guid signalId, Guid configId, string status, string? error, int maxAttempts, CancellationToken cancellationToken)
    {
        // A failed attempt stays pending (retried) until it has had maxAttempts.
        await using var command = dataSource.CreateCommand("""
            UPDATE signal_deliveries SET attempts = attempts + 1, updated_at = now(), error = $4,
                   status = CASE WHEN $3 = 'failed' AND attempts + 1 < $5 THEN 'pending' ELSE $3 END,
                   delivered_at = CASE WHEN $3 = 'delivered' THEN now() END
            WHERE signal_id = $1 AND config_id = $2 AND status = 'pending'
            """);
        command.Parameters.Add(new() { Value = signalId });
        command.Parameters.Add(new() { Value = configId });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = maxAttempts });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Hands an occurrence's pending webhook and Slack deliveries to the hooks dispatcher: one outbox row with the
    /// occurrence's id, written in the transaction that marks them delivered, so it is enqueued exactly once.
    /// Destinations without a subscribed endpoint are skipped, and say so.
    /// </summary>
    public async Task<int> HandToHooksAsync(string workspaceId, PendingDelivery signal, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var formats = new HashSet<string>();
        await using (var endpoints = new NpgsqlCommand(
            "SELECT DISTINCT format FROM webhook_endpoints WHERE workspace_id = $1 AND disabled_at IS NULL AND $2 = ANY (event_types)", connection, tx))
        {
            endpoints.Parameters.Add(new() { Value = workspaceId });
            endpoints.Parameters.Add(new() { Value = Storage.EventTypes.SignalDetected });
            await using var reader = await endpoints.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) formats.Add(reader.GetString(0));
        }
        await using var mark = new NpgsqlCommand("""
            UPDATE signal_deliveries SET attempts = attempts + 1, updated_at = now(),
                   status = CASE WHEN (destination_type = 'webhook' AND $2) OR (destination_type = 'slack' AND $3) THEN 'delivered' ELSE 'skipped' END,
                   delivered_at = CASE WHEN (destination_type = 'webhook' AND $2) OR (destination_type = 'slack' AND $3) THEN now() END,
                   error = CASE WHEN (destination_type = 'webhook' AND $2) OR (destination_type = 'slack' AND $3) THEN NULL
                                ELSE 'not configured: no active ' || CASE destination_type WHEN 'slack' THEN 'Slack-format' ELSE 'standard' END
                                     || ' webhook endpoint subscribes to signal.detected (see /api/webhooks)' END
            WHERE signal_id = $1 AND status = 'pending' AND destination_type IN ('webhook', 'slack')
            RETURNING status
            """, connection, tx);
        mark.Parameters.Add(new() { Value = signal.SignalId });
        mark.Parameters.Add(new() { Value = formats.Contains("standard") });
        mark.Parameters.Add(new() { Value = formats.Contains("slack") });
        var delivered = 0;
        await using (var reader = await mark.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) if (reader.GetString(0) == "delivered") delivered++;
        }
        if (delivered > 0)
        {
            var data = new System.Text.Json.Nodes.JsonObject
            {
                ["signal_id"] = signal.SignalId.ToString(),
                ["type"] = signal.SignalType,
                ["account_id"] = signal.AccountId,
                ["person_id"] = signal.PersonId,
                ["value"] = signal.Value,
                ["window_start"] = Storage.UtcDateTimeOffsetConverter.Format(signal.WindowStart),
                ["window_end"] = Storage.UtcDateTimeOffsetConverter.Format(signal.WindowEnd),
            };
            await Storage.Outbox.EnqueueAsync(connection, tx, signal.SignalId, workspaceId, Storage.EventTypes.SignalDetected, data.ToJsonString(),
                signal.DetectedAt, cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        return delivered;
    }

    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT status, count(*) FROM signal_deliveries WHERE run_id = $1 GROUP BY status");
        command.Parameters.Add(new() { Value = runId });
        var counts = new Dictionary<string, long> { ["delivered"] = 0, ["failed"] = 0, ["skipped"] = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }

    public async Task<IReadOnlyList<DeliveryView>> ForSignalAsync(string workspaceId, Guid signalId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT config_id, destination_type, destination, status, attempts, delivered_at, error, updated_at
            FROM signal_deliveries WHERE workspace_id = $1 AND signal_id = $2 ORDER BY destination_type, config_id
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = signalId });
        var list = new List<DeliveryView>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new DeliveryView(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return list;
    }
}
