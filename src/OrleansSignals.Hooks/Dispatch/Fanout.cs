using OrleansSignals.Storage;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Npgsql;
using OrleansSignals.Hooks.Endpoints;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Turns outbox rows into messages, one per matching endpoint. The outbox is only a queue: the rows are
/// deleted in the same transaction that creates their messages, so a crash leaves both undone or both done
/// (history keeps the transitions, webhook_messages the deliveries). One host fans out at a time (a
/// transaction-level advisory lock): the outbox is then read in sequence order, which keeps per-account
/// order for ordered endpoints.
/// Messages this host can send at once (first attempt due now, endpoint unordered with its circuit closed,
/// a free slot here) are created already leased to it and handed to its senders, saving the claim round
/// trip; the rest are created due and claimed as usual. A handed-off message is an ordinary leased message:
/// if this host dies before recording it, the lease runs out and any host sends it.
/// </summary>
public sealed class Fanout(NpgsqlDataSource dataSource, RetrySchedule schedule, IOptions<HookOptions> options, TimeProvider time)
{
    private const long LockId = 0x486F_6F6B_7346;

    /// <summary>
    /// Fans out one batch. <paramref name="reserve"/> takes one of this host's slots for an endpoint (false:
    /// none free); slots of messages not created (rollback, duplicate) go back through <paramref name="release"/>.
    /// </summary>
    public async Task<FanoutResult> RunOnceAsync(Func<Guid, bool> reserve, Action<Guid> release, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using (var locking = new NpgsqlCommand($"SELECT pg_try_advisory_xact_lock({LockId})", connection, tx))
        {
            if (!(bool)(await locking.ExecuteScalarAsync(cancellationToken))!) return new FanoutResult(-1, []);
        }
        var o = options.Value;
        var now = time.GetUtcNow();
        var events = await TakeAsync(connection, tx, cancellationToken);
        if (events.Count == 0) return new FanoutResult(0, []);
        var (routes, targets) = await RoutesAsync(connection, tx, events.Select(e => e.WorkspaceId).Distinct().ToArray(), now, cancellationToken);
        var rows = await HookRouter.RouteAsync(connection, tx, events, e => routes.GetValueOrDefault(e.WorkspaceId) ?? [], o.DefaultHealthThreshold, now, cancellationToken);

        var first = schedule.DelayBefore(1);
        var messages = MessageWriter.Prepare(rows, now, _ => now + first);
        var leased = new List<NewMessage>();
        var reserved = new List<Guid>();
        try
        {
            if (first <= TimeSpan.Zero)
            {
                for (var i = 0; i < messages.Count; i++)
                {
                    var endpoint = messages[i].Endpoint.Id;
                    if (targets[endpoint] is not { Ready: true, Ordered: false } || !reserve(endpoint)) continue;
                    reserved.Add(endpoint);
                    leased.Add(messages[i] = messages[i] with { NextAttemptAt = now + o.ClaimLease });
                }
            }
            var created = await MessageWriter.InsertAsync(connection, tx, messages, now, cancellationToken);
            var leasedIds = leased.Select(m => m.Id).ToHashSet();
            if (created.Any(id => !leasedIds.Contains(id)))
            {
                // Due messages are claimed: by this host, and by others that help deliver them.
                await using var notify = new NpgsqlCommand($"SELECT pg_notify('{HookDispatcher.Channel}', '{HookDispatcher.MessagesPayload}')", connection, tx);
                await notify.ExecuteNonQueryAsync(cancellationToken);
            }
            await tx.CommitAsync(cancellationToken);
            var handed = leased.Where(m => created.Contains(m.Id)).Select(m => Claimed(m, targets[m.Endpoint.Id])).ToList();
            foreach (var m in leased.Where(m => !created.Contains(m.Id))) release(m.Endpoint.Id);
            reserved.Clear();
            return new FanoutResult(events.Count, handed);
        }
        finally
        {
            foreach (var endpoint in reserved) release(endpoint);
        }
    }

    private static ClaimedMessage Claimed(NewMessage m, DeliveryTarget target) => new(
        m.Id, m.Event.Id, m.Endpoint.Id, m.Event.WorkspaceId, m.Payload, 0, m.Event.RecordedAt,
        target.Url, target.Format, target.Secrets, target.Headers, target.RateLimitPerSecond);

    /// <summary>Takes (deletes) the oldest outbox rows, joined to their history rows; undone if the transaction rolls back.</summary>
    private async Task<List<HookEvent>> TakeAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            WITH o AS (
                -- No row locks first: the advisory lock already makes this host the only one taking rows.
                DELETE FROM outbox
                WHERE seq IN (SELECT seq FROM outbox ORDER BY seq LIMIT $1)
                RETURNING seq, transition_id, workspace_id, account_id, type, occurred_at, created_at, data::text)
            SELECT o.seq, o.transition_id, o.workspace_id, o.account_id, o.type, o.occurred_at, o.created_at, o.data,
                   h.key, h.old_value #>> '{}', h.new_value #>> '{}', h.health_score
            FROM o LEFT JOIN history h ON h.id = o.transition_id AND h.occurred_at = o.occurred_at
            ORDER BY o.seq
            """, connection, tx);
        command.Parameters.Add(new() { Value = options.Value.FanoutBatchSize });
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

    private async Task<(Dictionary<string, List<EndpointRoute>>, Dictionary<Guid, DeliveryTarget>)> RoutesAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string[] workspaces, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT id, workspace_id, event_types, filters::text, url, format, secret,
                   CASE WHEN previous_secret_expires_at > $2 THEN previous_secret END, headers::text, rate_limit_per_second, ordered,
                   consecutive_failures < $3 AND (circuit_open_until IS NULL OR circuit_open_until <= $2)
            FROM webhook_endpoints
            WHERE workspace_id = ANY($1) AND disabled_at IS NULL
            """, connection, tx);
        command.Parameters.Add(new() { Value = workspaces });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = options.Value.CircuitFailureThreshold });
        var routes = new Dictionary<string, List<EndpointRoute>>();
        var targets = new Dictionary<Guid, DeliveryTarget>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var route = new EndpointRoute(reader.GetGuid(0), reader.GetString(1), reader.GetFieldValue<string[]>(2),
                WireJson.Deserialize<WebhookFilters>(reader.IsDBNull(3) ? null : reader.GetString(3)));
            (routes.TryGetValue(route.WorkspaceId, out var list) ? list : routes[route.WorkspaceId] = []).Add(route);
            targets[route.Id] = new DeliveryTarget(reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(7) ? [reader.GetString(6)] : [reader.GetString(6), reader.GetString(7)],
                WireJson.Deserialize<Dictionary<string, string>>(reader.IsDBNull(8) ? null : reader.GetString(8)),
                reader.IsDBNull(9) ? null : reader.GetInt32(9), reader.GetBoolean(10), reader.GetBoolean(11));
        }
        return (routes, targets);
    }
}
