using Npgsql;
using NpgsqlTypes;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Creates messages inside the caller's transaction. The (endpoint_id, event_id) key makes this exactly
/// once per endpoint and transition, whatever retries or races happen around it.
/// </summary>
public static class MessageWriter
{
    /// <summary>Renders each event's envelope once (shared by its endpoints) and pairs it with its endpoints.</summary>
    public static List<NewMessage> Prepare(IReadOnlyList<(EndpointRoute Endpoint, HookEvent Event)> rows, DateTimeOffset now, Func<EndpointRoute, DateTimeOffset> nextAttemptAt)
    {
        var payloads = new Dictionary<Guid, string>();
        return rows.Select(r => new NewMessage(Guid.CreateVersion7(now), r.Endpoint, r.Event,
            payloads.TryGetValue(r.Event.Id, out var p) ? p : payloads[r.Event.Id] = Payloads.Envelope(r.Event), nextAttemptAt(r.Endpoint))).ToList();
    }

    /// <summary>Inserts the messages; returns the ids of those created (an existing (endpoint, event) is left as it is).</summary>
    public static async Task<HashSet<Guid>> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<NewMessage> messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var created = new HashSet<Guid>();
        if (messages.Count == 0) return created;
        await using var command = new NpgsqlCommand("""
            INSERT INTO webhook_messages (id, endpoint_id, workspace_id, event_id, type, account_id, seq, payload, event_at, next_attempt_at, created_at)
            SELECT u.id, u.endpoint, u.ws, u.event, u.type, u.acc, u.seq, u.payload, u.event_at, u.next, $11
            FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::timestamptz[], $10::timestamptz[])
                 AS u(id, endpoint, ws, event, type, acc, seq, payload, event_at, next)
            ON CONFLICT (endpoint_id, event_id) DO NOTHING
            RETURNING id
            """, connection, tx);
        command.Parameters.Add(new() { Value = messages.Select(m => m.Id).ToArray() });
        command.Parameters.Add(new() { Value = messages.Select(m => m.Endpoint.Id).ToArray() });
        command.Parameters.Add(new() { Value = messages.Select(m => m.Event.WorkspaceId).ToArray() });
        command.Parameters.Add(new() { Value = messages.Select(m => m.Event.Id).ToArray() });
        command.Parameters.Add(new() { Value = messages.Select(m => m.Event.Type).ToArray() });
        command.Parameters.Add(new() { Value = messages.Select(m => m.Event.AccountId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = messages.Select(m => m.Event.Seq).ToArray() });
        command.Parameters.Add(new() { Value = messages.Select(m => m.Payload).ToArray() });
        command.Parameters.Add(new() { Value = messages.Select(m => m.Event.RecordedAt).ToArray() });
        command.Parameters.Add(new() { Value = messages.Select(m => m.NextAttemptAt).ToArray() });
        command.Parameters.Add(new() { Value = now });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) created.Add(reader.GetGuid(0));
        return created;
    }
}
