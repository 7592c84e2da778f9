using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;

namespace OrleansSignals.Storage;

/// <summary>
/// The one writer of the outbox (and of history, which account transitions are written to with it). Rows
/// are written inside the caller's transaction, so they are delivered if and only if it commits.
/// </summary>
public static class Outbox
{
    /// <summary>
    /// Writes account transitions to history and the outbox. Values come as text ("true", "42", an ISO time)
    /// and are stored as JSON typed by the transition's type (signals_transition_value, migration 0013). A transition whose id is already in history
    /// (a replay after a crash recomputes the same ids) is skipped in both, so it is delivered once.
    /// </summary>
    public static void AppendTransitions(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<TransitionRow> rows)
    {
        if (rows.Count == 0) return;
        using var command = new NpgsqlCommand("""
            WITH h AS (
                INSERT INTO history (id, workspace_id, account_id, occurred_at, type, key, old_value, new_value, health_score)
                SELECT u.id, u.ws, u.account, u.at, u.type, u.key,
                       signals_transition_value(u.type, u.old), signals_transition_value(u.type, u.new), u.health
                FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[])
                    AS u(id, ws, account, at, type, key, old, new, health)
                ON CONFLICT DO NOTHING
                RETURNING id, workspace_id, account_id, type, occurred_at)
            INSERT INTO outbox (transition_id, workspace_id, account_id, type, occurred_at)
            SELECT id, workspace_id, account_id, type, occurred_at FROM h
            """, connection, tx);
        command.Parameters.Add(new() { Value = rows.Select(r => r.Id).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.WorkspaceId).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.AccountId).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.OccurredAt).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Type).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Key).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = rows.Select(r => r.OldValue).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = rows.Select(r => r.NewValue).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = rows.Select(r => r.HealthScore).ToArray() });
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Publishes an event that is not an account transition (export.completed, signal.detected,
    /// webhook.test, ...). Returns the event id, which receivers get as <c>webhook-id</c> and <c>id</c>.
    /// </summary>
    public static Task<Guid> EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, string type, JsonObject data, CancellationToken cancellationToken = default) =>
        EnqueueAsync(connection, transaction, workspaceId, type, data.ToJsonString(), DateTimeOffset.UtcNow, cancellationToken);

    /// <param name="dataJson">The event's <c>data</c> object, serialised.</param>
    /// <param name="occurredAt">When it happened (the id is a UUIDv7 of that time).</param>
    public static Task<Guid> EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, string type, string dataJson, DateTimeOffset occurredAt,
        CancellationToken cancellationToken = default) =>
        EnqueueAsync(connection, transaction, Guid.CreateVersion7(occurredAt), workspaceId, type, dataJson, occurredAt, cancellationToken);

    /// <summary>Publishes an event under an id its producer already gave it (a signal occurrence's id is its hook's id).</summary>
    public static async Task<Guid> EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, string workspaceId, string type, string dataJson, DateTimeOffset occurredAt,
        CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO outbox (transition_id, workspace_id, account_id, type, occurred_at, data) VALUES ($1, $2, NULL, $3, $4, $5::jsonb)
            """, connection, transaction);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = occurredAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = dataJson });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }
}
