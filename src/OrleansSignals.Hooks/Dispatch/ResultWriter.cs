using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Records outcomes in batches (one transaction for many attempts): the attempt rows, the messages' new
/// status and schedule, usage, and each endpoint's failure bookkeeping (circuit, disabling). Until a
/// batch commits its messages stay leased, so nothing is sent twice by this host; a host that dies with
/// a batch unwritten only causes those messages to be sent again (at least once).
/// </summary>
public sealed partial class ResultWriter(NpgsqlDataSource dataSource, IOptions<HookOptions> options, TimeProvider time, ILogger<ResultWriter> logger)
{
    private readonly Channel<(DeliveryOutcome Outcome, Action? Written)> _pending =
        Channel.CreateUnbounded<(DeliveryOutcome, Action?)>(new() { SingleReader = true });

    /// <summary>
    /// Queues an outcome; <paramref name="written"/> runs once it is written (or dropped as unwritable). For a failed
    /// attempt the dispatcher holds the endpoint's slot until then: a failed probe of an endpoint whose circuit is half
    /// open must re-open the circuit before a claim can count that slot free, or a second probe would follow the first
    /// at once. A success gives its slot back at once (holding it cost a third of the delivery throughput, session 13).
    /// </summary>
    public void Add(DeliveryOutcome outcome, Action? written = null) => _pending.Writer.TryWrite((outcome, written));

    /// <summary>Writes batches until stopped; <paramref name="written"/> runs after each commit.</summary>
    public async Task RunAsync(Action written, CancellationToken stoppingToken)
    {
        var batch = new List<DeliveryOutcome>();
        var callbacks = new List<Action>();
        while (await _pending.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < 2000 && _pending.Reader.TryRead(out var item))
            {
                batch.Add(item.Outcome);
                if (item.Written is not null) callbacks.Add(item.Written);
            }
            await WriteDurablyAsync(batch, stoppingToken);
            foreach (var callback in callbacks) callback();
            batch.Clear();
            callbacks.Clear();
            written();
        }
    }

    /// <summary>
    /// Retries a batch while the failure is transient (PostgreSQL away, a deadlock, a timeout). A permanent
    /// error (a constraint, bad data) is never retried as a whole: the batch is written outcome by outcome,
    /// and an outcome that fails alone is dropped with a log line. Its message stays leased until the lease
    /// ends and is then sent again (at least once), so one bad outcome never stalls any other endpoint's.
    /// </summary>
    private async Task WriteDurablyAsync(List<DeliveryOutcome> batch, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteAsync(batch, stoppingToken);
                return;
            }
            catch (PostgresException ex) when (!ex.IsTransient && batch.Count > 1)
            {
                LogSplitting(ex, batch.Count);
                foreach (var outcome in batch) await WriteDurablyAsync([outcome], stoppingToken);
                return;
            }
            catch (PostgresException ex) when (!ex.IsTransient)
            {
                LogDropped(ex, batch[0].Message.WorkspaceId, batch[0].Message.EndpointId, batch[0].Message.Id);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                // The leases keep the messages to this host meanwhile; if it never gets through they fall due again.
                LogWriteFailed(ex, batch.Count, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), stoppingToken);
            }
        }
    }

    private async Task WriteAsync(List<DeliveryOutcome> all, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        // Endpoints first, then their messages, both in id order: the order a DELETE of an endpoint takes its
        // row and then (cascading) its messages', so the two never deadlock. Once locked, a message cannot be
        // deleted before this commits; one deleted before (its endpoint deleted mid-delivery) is not found,
        // and its outcome is left out: there is nothing left to record it against.
        var endpoints = await LockEndpointsAsync(connection, tx, all, cancellationToken);
        var live = await LockMessagesAsync(connection, tx, all, cancellationToken);
        var batch = all.Where(o => live.Contains(o.Message.Id)).ToList();
        await using (var attempts = new NpgsqlCommand("""
            INSERT INTO webhook_attempts (message_id, attempted_at, status_code, latency_ms, error, response_excerpt)
            SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::text[], $6::text[])
            """, connection, tx))
        {
            attempts.Parameters.Add(new() { Value = batch.Select(o => o.Message.Id).ToArray() });
            attempts.Parameters.Add(new() { Value = batch.Select(o => o.AttemptedAt).ToArray() });
            attempts.Parameters.Add(new() { Value = batch.Select(o => o.Result.StatusCode).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            attempts.Parameters.Add(new() { Value = batch.Select(o => (int)Math.Ceiling(o.Result.Latency.TotalMilliseconds)).ToArray() });
            attempts.Parameters.Add(new() { Value = batch.Select(o => o.Result.Error).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            attempts.Parameters.Add(new() { Value = batch.Select(o => o.Result.ResponseExcerpt?.Replace("\0", "")).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await attempts.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var messages = new NpgsqlCommand("""
            UPDATE webhook_messages m SET status = u.status, attempts = m.attempts + 1, next_attempt_at = u.next,
                last_attempt_at = u.at, last_error = u.error, delivered_at = CASE WHEN u.status = 'delivered' THEN u.at END
            FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[]) AS u(id, status, next, at, error)
            WHERE m.id = u.id AND m.status = 'pending'
            """, connection, tx))
        {
            messages.Parameters.Add(new() { Value = batch.Select(o => o.Message.Id).ToArray() });
            messages.Parameters.Add(new() { Value = batch.Select(o => o.Status).ToArray() });
            messages.Parameters.Add(new() { Value = batch.Select(o => o.NextAttemptAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            messages.Parameters.Add(new() { Value = batch.Select(o => o.AttemptedAt).ToArray() });
            messages.Parameters.Add(new() { Value = batch.Select(o => o.Result.Error).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await messages.ExecuteNonQueryAsync(cancellationToken);
        }
        // A delivery counts even when its endpoint was deleted meanwhile: the receiver got it.
        var usage = all.Where(o => o.Status == DeliveryOutcome.Delivered)
            .GroupBy(o => (o.Message.WorkspaceId, Day: DateOnly.FromDateTime(o.AttemptedAt.UtcDateTime))).ToList();
        if (usage.Count > 0)
        {
            await using var count = new NpgsqlCommand("""
                INSERT INTO usage_daily (workspace_id, day, delivered) SELECT * FROM unnest($1::text[], $2::date[], $3::bigint[])
                ON CONFLICT (workspace_id, day) DO UPDATE SET delivered = usage_daily.delivered + excluded.delivered
                """, connection, tx);
            count.Parameters.Add(new() { Value = usage.Select(g => g.Key.WorkspaceId).ToArray() });
            count.Parameters.Add(new() { Value = usage.Select(g => g.Key.Day).ToArray() });
            count.Parameters.Add(new() { Value = usage.Select(g => (long)g.Count()).ToArray() });
            await count.ExecuteNonQueryAsync(cancellationToken);
        }
        await UpdateEndpointsAsync(connection, tx, batch, endpoints, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A 2xx resets an endpoint's failures. Failures count up; at the threshold the circuit opens for a
    /// while. A 410, or failing without a break for <see cref="HookOptions.DisableAfter"/>, disables the
    /// endpoint: the workspace gets an operational event and the log a line.
    /// </summary>
    private async Task UpdateEndpointsAsync(NpgsqlConnection connection, NpgsqlTransaction tx, List<DeliveryOutcome> batch,
        Dictionary<Guid, EndpointState> states, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var byEndpoint = batch.GroupBy(x => x.Message.EndpointId).OrderBy(g => g.Key).ToList();
        var ids = new List<Guid>();
        var failures = new List<int>();
        var failingSince = new List<DateTimeOffset?>();
        var circuit = new List<DateTimeOffset?>();
        var disable = new List<string?>();
        foreach (var group in byEndpoint)
        {
            if (!states.TryGetValue(group.Key, out var state)) continue;  // deleted meanwhile (a copy, changed below)
            string? reason = null;
            foreach (var outcome in group.OrderBy(x => x.AttemptedAt))
            {
                if (outcome.Result.Succeeded)
                {
                    state.Failures = 0;
                    state.FailingSince = null;
                    continue;
                }
                state.Failures++;
                state.FailingSince ??= outcome.AttemptedAt;
                if (outcome.Result.Gone) reason ??= "the endpoint answered 410 Gone";
            }
            if (state.FailingSince is { } since && now - since >= o.DisableAfter)
                reason ??= $"no successful delivery since {Storage.UtcDateTimeOffsetConverter.Format(since)}";
            ids.Add(group.Key);
            failures.Add(state.Failures);
            failingSince.Add(state.FailingSince);
            circuit.Add(state.Failures >= o.CircuitFailureThreshold ? now + o.CircuitBreak : null);
            disable.Add(state.Disabled ? null : reason);
            if (reason is not null && !state.Disabled)
            {
                LogDisabled(state.Workspace, group.Key, state.Url, reason);
                await using var tell = new NpgsqlCommand("INSERT INTO operational_events (workspace_id, type, data, occurred_at) VALUES ($1, 'webhook.endpoint_disabled', $2::jsonb, $3)", connection, tx);
                tell.Parameters.Add(new() { Value = state.Workspace });
                tell.Parameters.Add(new() { Value = new JsonObject { ["endpoint_id"] = group.Key.ToString(), ["url"] = state.Url, ["reason"] = reason }.ToJsonString() });
                tell.Parameters.Add(new() { Value = now });
                await tell.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        await using var update = new NpgsqlCommand("""
            UPDATE webhook_endpoints e SET consecutive_failures = u.failures, failing_since = u.since, circuit_open_until = u.circuit,
                disabled_at = CASE WHEN u.reason IS NOT NULL THEN $6 ELSE e.disabled_at END,
                disabled_reason = coalesce(u.reason, e.disabled_reason)
            FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::timestamptz[], $5::text[]) AS u(id, failures, since, circuit, reason)
            WHERE e.id = u.id
            """, connection, tx);
        update.Parameters.Add(new() { Value = ids.ToArray() });
        update.Parameters.Add(new() { Value = failures.ToArray() });
        update.Parameters.Add(new() { Value = failingSince.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        update.Parameters.Add(new() { Value = circuit.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        update.Parameters.Add(new() { Value = disable.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        update.Parameters.Add(new() { Value = now });
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    private record struct EndpointState(string Workspace, string Url, int Failures, DateTimeOffset? FailingSince, bool Disabled);

    private static async Task<Dictionary<Guid, EndpointState>> LockEndpointsAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, List<DeliveryOutcome> batch, CancellationToken cancellationToken)
    {
        // FOR NO KEY UPDATE, not FOR UPDATE: enough to serialise writers of the bookkeeping, and it does not
        // conflict with the KEY SHARE lock the fan-out's message inserts take on their endpoints (foreign
        // key), so recording outcomes never holds up new messages, nor they it. It does hold up a DELETE.
        var states = new Dictionary<Guid, EndpointState>();
        await using var read = new NpgsqlCommand("""
            SELECT id, workspace_id, url, consecutive_failures, failing_since, disabled_at IS NOT NULL
            FROM webhook_endpoints WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE
            """, connection, tx);
        read.Parameters.Add(new() { Value = batch.Select(x => x.Message.EndpointId).Distinct().ToArray() });
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            states[reader.GetGuid(0)] = new(reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.GetBoolean(5));
        return states;
    }

    private static async Task<HashSet<Guid>> LockMessagesAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, List<DeliveryOutcome> batch, CancellationToken cancellationToken)
    {
        await using var read = new NpgsqlCommand("SELECT id FROM webhook_messages WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE", connection, tx);
        read.Parameters.Add(new() { Value = batch.Select(x => x.Message.Id).Distinct().ToArray() });
        var live = new HashSet<Guid>();
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) live.Add(reader.GetGuid(0));
        return live;
    }

    [LoggerMessage(LogLevel.Warning, "Workspace {Workspace} webhook endpoint {Endpoint} ({Url}) disabled: {Reason}")]
    private partial void LogDisabled(string workspace, Guid endpoint, string url, string reason);

    [LoggerMessage(LogLevel.Error, "Recording {Count} delivery outcomes failed permanently; writing them one by one")]
    private partial void LogSplitting(Exception ex, int count);

    [LoggerMessage(LogLevel.Error, "Workspace {Workspace} endpoint {Endpoint}: the outcome of message {Message} cannot be recorded and is dropped; the message is sent again when its lease ends")]
    private partial void LogDropped(Exception ex, string workspace, Guid endpoint, Guid message);

    [LoggerMessage(LogLevel.Warning, "Recording {Count} delivery outcomes failed (attempt {Attempt}); retrying")]
    private partial void LogWriteFailed(Exception ex, int count, int attempt);
}
