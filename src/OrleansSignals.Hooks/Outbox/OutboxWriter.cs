using System.Text.Json.Nodes;
using Npgsql;

namespace OrleansSignals.Hooks.Outbox;

/// <summary>
/// Publishes an event that is not an account transition (export.completed, signal.detected,
/// webhook.test, ...) inside the caller's transaction: it is delivered if and only if that transaction
/// commits. Returns the event id, which receivers get as <c>webhook-id</c> and <c>id</c>.
/// </summary>
public static class OutboxWriter
{
    public static async Task<Guid> EnqueueAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string workspaceId, string type, JsonObject data, CancellationToken cancellationToken = default)
    {
        var id = Guid.CreateVersion7();
        await using var command = new NpgsqlCommand("""
            INSERT INTO outbox (transition_id, workspace_id, account_id, type, occurred_at, data) VALUES ($1, $2, NULL, $3, now(), $4::jsonb)
            """, connection, transaction);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = data.ToJsonString() });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }
}
