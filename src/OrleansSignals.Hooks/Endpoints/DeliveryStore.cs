using Npgsql;
using OrleansSignals.Hooks.Dispatch;

namespace OrleansSignals.Hooks.Endpoints;

/// <summary>The delivery log (messages and attempts) of a workspace's endpoints, and manual re-sends.</summary>
public sealed class DeliveryStore(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Newest first; <paramref name="status"/> narrows to pending, delivered or dead.</summary>
    public async Task<IReadOnlyList<DeliveryView>> ListAsync(string workspaceId, Guid endpointId, string? status, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, endpoint_id, event_id, type, account_id, status, attempts, created_at, next_attempt_at, delivered_at, last_error
            FROM webhook_messages WHERE workspace_id = $1 AND endpoint_id = $2 AND ($3::text IS NULL OR status = $3)
            ORDER BY created_at DESC, id DESC LIMIT $4
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = endpointId });
        command.Parameters.Add(new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = limit });
        var messages = new List<DeliveryView>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                messages.Add(new DeliveryView(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.GetInt32(6), reader.GetFieldValue<DateTimeOffset>(7),
                    reader.IsDBNull(8) || reader.GetString(5) != DeliveryOutcome.Pending ? null : reader.GetFieldValue<DateTimeOffset>(8),
                    reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9), reader.IsDBNull(10) ? null : reader.GetString(10), []));
            }
        }
        if (messages.Count == 0) return messages;
        var attempts = new Dictionary<Guid, List<AttemptView>>();
        await using var read = dataSource.CreateCommand("""
            SELECT message_id, attempted_at, status_code, latency_ms, error, response_excerpt
            FROM webhook_attempts WHERE message_id = ANY($1) ORDER BY attempted_at, id
            """);
        read.Parameters.Add(new() { Value = messages.Select(m => m.Id).ToArray() });
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                (attempts.TryGetValue(id, out var list) ? list : attempts[id] = []).Add(new AttemptView(reader.GetFieldValue<DateTimeOffset>(1),
                    reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.GetInt32(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5)));
            }
        }
        return messages.ConvertAll(m => m with { Attempts = attempts.GetValueOrDefault(m.Id) ?? [] });
    }

    /// <summary>Sends one message again now, with a fresh schedule. False when there is no such message.</summary>
    public async Task<bool> RetryAsync(string workspaceId, Guid messageId, CancellationToken cancellationToken) =>
        await ResendAsync("workspace_id = $1 AND id = $2", [workspaceId, messageId], cancellationToken) == 1;

    /// <summary>Sends again every message of the endpoint that failed (dead, or still retrying) since the time; returns how many.</summary>
    public Task<int> RecoverAsync(string workspaceId, Guid endpointId, DateTimeOffset since, CancellationToken cancellationToken) =>
        ResendAsync("workspace_id = $1 AND endpoint_id = $2 AND created_at >= $3 AND (status = 'dead' OR (status = 'pending' AND attempts > 0))",
            [workspaceId, endpointId, since], cancellationToken);

    private async Task<int> ResendAsync(string where, object[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            UPDATE webhook_messages SET status = 'pending', attempts = 0, next_attempt_at = ${parameters.Length + 1}, delivered_at = NULL
            WHERE {where}
            """, connection, tx);
        foreach (var p in parameters) command.Parameters.Add(new() { Value = p });
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        var count = await command.ExecuteNonQueryAsync(cancellationToken);
        await using var notify = new NpgsqlCommand($"SELECT pg_notify('{HookDispatcher.Channel}', '{HookDispatcher.MessagesPayload}')", connection, tx);
        await notify.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return count;
    }
}
