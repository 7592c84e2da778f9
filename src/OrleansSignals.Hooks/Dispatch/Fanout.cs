using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using OrleansSignals.Hooks.Endpoints;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Turns outbox rows into messages, one per matching endpoint. The rows are marked dispatched in the same
/// transaction that creates their messages, so a crash leaves both undone or both done. One host fans out
/// at a time (a transaction-level advisory lock): the outbox is then read in sequence order, which keeps
/// per-account order for ordered endpoints.
/// </summary>
public sealed class Fanout(NpgsqlDataSource dataSource, RetrySchedule schedule, IOptions<HookOptions> options, TimeProvider time)
{
    private const long LockId = 0x486F_6F6B_7346;

    /// <summary>Fans out one batch; returns how many outbox rows it took, or -1 when another host holds the lock.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var locking = new NpgsqlCommand($"SELECT pg_try_advisory_xact_lock({LockId})", connection, tx))
        {
            if (!(bool)(await locking.ExecuteScalarAsync(cancellationToken))!) return -1;
        }
        var now = time.GetUtcNow();
        var events = await TakeAsync(connection, tx, now, cancellationToken);
        if (events.Count == 0) return 0;
        var routes = await RoutesAsync(connection, tx, events.Select(e => e.WorkspaceId).Distinct().ToArray(), cancellationToken);
        var rows = new List<(EndpointRoute, HookEvent)>();
        foreach (var e in events)
        {
            if (!routes.TryGetValue(e.WorkspaceId, out var endpoints)) continue;
            foreach (var endpoint in endpoints)
                if (EventMatcher.Matches(endpoint, e, options.Value.DefaultHealthThreshold)) rows.Add((endpoint, e));
        }
        if (await MessageWriter.InsertAsync(connection, tx, rows, now, schedule.DelayBefore(1), cancellationToken) > 0)
        {
            // Other hosts' dispatchers help deliver what this one created.
            await using var notify = new NpgsqlCommand($"SELECT pg_notify('{HookDispatcher.Channel}', '{HookDispatcher.MessagesPayload}')", connection, tx);
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        return events.Count;
    }

    /// <summary>Deletes outbox rows dispatched longer ago than the retention.</summary>
    public async Task PruneAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM outbox WHERE dispatched_at < $1");
        command.Parameters.Add(new() { Value = time.GetUtcNow() - options.Value.OutboxRetention });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<List<HookEvent>> TakeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            WITH o AS (
                UPDATE outbox SET dispatched_at = $2
                WHERE seq IN (SELECT seq FROM outbox WHERE dispatched_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED)
                RETURNING seq, transition_id, workspace_id, account_id, type, occurred_at, created_at, data::text)
            SELECT o.seq, o.transition_id, o.workspace_id, o.account_id, o.type, o.occurred_at, o.created_at, o.data,
                   h.key, h.old_value, h.new_value, h.health_score
            FROM o LEFT JOIN history h ON h.id = o.transition_id AND h.occurred_at = o.occurred_at
            ORDER BY o.seq
            """, connection, tx);
        command.Parameters.Add(new() { Value = options.Value.FanoutBatchSize });
        command.Parameters.Add(new() { Value = now });
        var events = new List<HookEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            events.Add(new HookEvent(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), Text(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6),
                Text(8), Text(9), Text(10), reader.IsDBNull(11) ? null : reader.GetInt32(11),
                Text(7) is { } data ? JsonNode.Parse(data) as JsonObject : null));
        }
        return events;
    }

    private static async Task<Dictionary<string, List<EndpointRoute>>> RoutesAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string[] workspaces, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT id, workspace_id, event_types, filters::text FROM webhook_endpoints
            WHERE workspace_id = ANY($1) AND disabled_at IS NULL
            """, connection, tx);
        command.Parameters.Add(new() { Value = workspaces });
        var routes = new Dictionary<string, List<EndpointRoute>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var route = new EndpointRoute(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<string[]>(2),
                HooksJson.Deserialize<WebhookFilters>(reader.IsDBNull(3) ? null : reader.GetString(3)));
            (routes.TryGetValue(route.WorkspaceId, out var list) ? list : routes[route.WorkspaceId] = []).Add(route);
        }
        return routes;
    }
}
