using System.Text.Json;
using Npgsql;

namespace OrleansSignals.Signals.Delivery;

/// <summary>The one writer of <c>signal_delivery_configs</c>.</summary>
public sealed class DeliveryConfigStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, signal_type, destination_type, destination_config::text, is_active, created_at, updated_at";

    public async Task<IReadOnlyList<DeliveryConfig>> ListAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM signal_delivery_configs WHERE workspace_id = $1 ORDER BY signal_type, destination_type");
        command.Parameters.Add(new() { Value = workspaceId });
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<DeliveryConfig?> GetAsync(string workspaceId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM signal_delivery_configs WHERE workspace_id = $1 AND id = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = id });
        return (await ReadAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>Null when the workspace has a config for that signal type and destination type already.</summary>
    public async Task<DeliveryConfig?> InsertAsync(string workspaceId, DeliveryConfig c, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO signal_delivery_configs (id, workspace_id, signal_type, destination_type, destination_config, is_active)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6)
            ON CONFLICT (workspace_id, signal_type, destination_type) DO NOTHING
            RETURNING {Columns}
            """);
        Bind(command, workspaceId, c);
        return (await ReadAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>Replaces a config; null when there is none with that id, or when another already has its (signal type, destination type).</summary>
    public async Task<(DeliveryConfig? Config, bool Conflict)> ReplaceAsync(string workspaceId, DeliveryConfig c, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE signal_delivery_configs SET signal_type = $3, destination_type = $4, destination_config = $5::jsonb, is_active = $6, updated_at = now()
            WHERE id = $1 AND workspace_id = $2
            RETURNING {Columns}
            """);
        Bind(command, workspaceId, c);
        try
        {
            return ((await ReadAsync(command, cancellationToken)).FirstOrDefault(), false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return (null, true);
        }
    }

    public async Task<bool> DeleteAsync(string workspaceId, Guid id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM signal_delivery_configs WHERE workspace_id = $1 AND id = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static void Bind(NpgsqlCommand command, string workspaceId, DeliveryConfig c)
    {
        command.Parameters.Add(new() { Value = c.Id });
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = c.SignalType });
        command.Parameters.Add(new() { Value = c.DestinationType });
        command.Parameters.Add(new() { Value = c.DestinationConfig.GetRawText() });
        command.Parameters.Add(new() { Value = c.IsActive });
    }

    private static async Task<List<DeliveryConfig>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var list = new List<DeliveryConfig>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new DeliveryConfig(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), JsonDocument.Parse(reader.GetString(3)).RootElement.Clone(),
                reader.GetBoolean(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return list;
    }
}
