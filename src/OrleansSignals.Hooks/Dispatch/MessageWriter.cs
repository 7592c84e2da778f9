using Npgsql;
using NpgsqlTypes;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Creates messages inside the caller's transaction. The (endpoint_id, event_id) key makes this exactly
/// once per endpoint and transition, whatever retries or races happen around it.
/// </summary>
public static class MessageWriter
{
    public static async Task<int> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<(EndpointRoute Endpoint, HookEvent Event)> rows,
        DateTimeOffset now, TimeSpan firstDelay, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return 0;
        await using var command = new NpgsqlCommand("""
            INSERT INTO webhook_messages (id, endpoint_id, workspace_id, event_id, type, account_id, seq, payload, event_at, created_at, next_attempt_at)
            SELECT u.id, u.endpoint, u.ws, u.event, u.type, u.acc, u.seq, u.payload, u.event_at, $10, $11
            FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::timestamptz[])
                 AS u(id, endpoint, ws, event, type, acc, seq, payload, event_at)
            ON CONFLICT (endpoint_id, event_id) DO NOTHING
            """, connection, tx);
        var payloads = new Dictionary<Guid, string>();
        command.Parameters.Add(new() { Value = rows.Select(_ => Guid.CreateVersion7(now)).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Endpoint.Id).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Event.WorkspaceId).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Event.Id).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Event.Type).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Event.AccountId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Event.Seq).ToArray() });
        // One rendering per event, shared by its endpoints.
        command.Parameters.Add(new() { Value = rows.Select(r => payloads.TryGetValue(r.Event.Id, out var p) ? p : payloads[r.Event.Id] = Payloads.Envelope(r.Event)).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Event.RecordedAt).ToArray() });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = now + firstDelay });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
