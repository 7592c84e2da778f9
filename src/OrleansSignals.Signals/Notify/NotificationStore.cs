using Npgsql;

namespace OrleansSignals.Signals.Notify;

/// <summary>The one writer of <c>workspace_notifications</c> and <c>notification_unsubscribes</c>.</summary>
public sealed class NotificationStore(NpgsqlDataSource dataSource)
{
    public async Task<NotificationSettings> GetAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new("SELECT digest_enabled, recipients FROM workspace_notifications WHERE workspace_id = $1") { Parameters = { new() { Value = workspaceId } } });
        batch.BatchCommands.Add(new("SELECT address, unsubscribed_at FROM notification_unsubscribes WHERE workspace_id = $1 ORDER BY address")
            { Parameters = { new() { Value = workspaceId } } });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var (enabled, recipients) = (true, Array.Empty<string>());
        if (await reader.ReadAsync(cancellationToken)) (enabled, recipients) = (reader.GetBoolean(0), reader.GetFieldValue<string[]>(1));
        await reader.NextResultAsync(cancellationToken);
        var unsubscribed = new List<UnsubscribedAddress>();
        while (await reader.ReadAsync(cancellationToken)) unsubscribed.Add(new UnsubscribedAddress(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1)));
        return new NotificationSettings(enabled, recipients, unsubscribed);
    }

    public async Task SetAsync(string workspaceId, bool digestEnabled, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO workspace_notifications (workspace_id, digest_enabled, recipients) VALUES ($1, $2, $3)
            ON CONFLICT (workspace_id) DO UPDATE SET digest_enabled = excluded.digest_enabled, recipients = excluded.recipients, updated_at = now()
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = digestEnabled });
        command.Parameters.Add(new() { Value = recipients.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stops the digest to <paramref name="address"/> from the next run on; idempotent (the first time is kept).</summary>
    public async Task UnsubscribeAsync(string workspaceId, string address, CancellationToken cancellationToken)
    {
        // A workspace deleted since the mail was sent has nothing left to unsubscribe from.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO notification_unsubscribes (workspace_id, address) SELECT $1, $2 WHERE EXISTS (SELECT 1 FROM workspaces WHERE id = $1)
            ON CONFLICT (workspace_id, address) DO NOTHING
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = address.ToLowerInvariant() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ResubscribeAsync(string workspaceId, string address, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM notification_unsubscribes WHERE workspace_id = $1 AND address = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = address.ToLowerInvariant() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
