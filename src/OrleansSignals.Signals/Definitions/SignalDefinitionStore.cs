using Npgsql;

namespace OrleansSignals.Signals.Definitions;

/// <summary>The one writer of <c>signal_definitions</c>.</summary>
public sealed class SignalDefinitionStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "type, name, source, event_name, condition_operator, condition_value, time_window_days, level, is_active, origin, created_at, updated_at";

    public async Task<IReadOnlyList<SignalDefinition>> ListAsync(string workspaceId, bool activeOnly, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM signal_definitions WHERE workspace_id = $1 AND ($2 = false OR is_active) ORDER BY type");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = activeOnly });
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<SignalDefinition?> GetAsync(string workspaceId, string type, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM signal_definitions WHERE workspace_id = $1 AND type = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = type });
        return (await ReadAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>Stores a new definition; null when the workspace already has one of that type.</summary>
    public async Task<SignalDefinition?> InsertAsync(string workspaceId, SignalDefinition d, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO signal_definitions (workspace_id, type, name, source, event_name, condition_operator, condition_value, time_window_days, level, is_active, origin)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (workspace_id, type) DO NOTHING
            RETURNING {Columns}
            """);
        Bind(command, workspaceId, d);
        return (await ReadAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>Creates or replaces the definition of that type (PUT).</summary>
    public async Task<SignalDefinition> UpsertAsync(string workspaceId, SignalDefinition d, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO signal_definitions (workspace_id, type, name, source, event_name, condition_operator, condition_value, time_window_days, level, is_active, origin)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (workspace_id, type) DO UPDATE SET
                name = excluded.name, source = excluded.source, event_name = excluded.event_name,
                condition_operator = excluded.condition_operator, condition_value = excluded.condition_value,
                time_window_days = excluded.time_window_days, level = excluded.level, is_active = excluded.is_active,
                origin = excluded.origin, updated_at = now()
            RETURNING {Columns}
            """);
        Bind(command, workspaceId, d);
        return (await ReadAsync(command, cancellationToken))[0];
    }

    public async Task<bool> DeleteAsync(string workspaceId, string type, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM signal_definitions WHERE workspace_id = $1 AND type = $2");
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = type });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    private static void Bind(NpgsqlCommand command, string workspaceId, SignalDefinition d)
    {
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = d.Type });
        command.Parameters.Add(new() { Value = d.Name });
        command.Parameters.Add(new() { Value = d.Source });
        command.Parameters.Add(new() { Value = (object?)d.EventName ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = d.ConditionOperator });
        command.Parameters.Add(new() { Value = d.ConditionValue });
        command.Parameters.Add(new() { Value = d.TimeWindowDays });
        command.Parameters.Add(new() { Value = d.Level });
        command.Parameters.Add(new() { Value = d.IsActive });
        command.Parameters.Add(new() { Value = d.Origin });
    }

    private static async Task<List<SignalDefinition>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var list = new List<SignalDefinition>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new SignalDefinition(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4), reader.GetDouble(5), reader.GetInt32(6), reader.GetString(7), reader.GetBoolean(8), reader.GetString(9),
                reader.GetFieldValue<DateTimeOffset>(10), reader.GetFieldValue<DateTimeOffset>(11)));
        }
        return list;
    }
}
