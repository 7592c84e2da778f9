using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Grains.Accounts;

namespace OrleansSignals.Grains.Persistence;

/// <summary>
/// Appends traits turns' <see cref="TraitChange"/>s to <c>trait_changes</c>, in the transaction of their checkpoints
/// (<see cref="AccountCheckpointStorage"/>): a change is recorded exactly when the traits it produced are stored.
/// </summary>
public static class TraitChangeRows
{
    public static void Append(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<(string WorkspaceId, string AccountId, TraitChange Change)> rows)
    {
        if (rows.Count == 0) return;
        using var command = new NpgsqlCommand("""
            INSERT INTO trait_changes (workspace_id, account_id, name, old_value, value, changed_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[], $6::timestamptz[])
            """, connection, tx);
        command.Parameters.Add(new() { Value = rows.Select(r => r.WorkspaceId).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.AccountId).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Change.Name).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Change.OldValue?.GetRawText()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Change.Value?.GetRawText()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Change.ChangedAt).ToArray() });
        command.ExecuteNonQuery();
    }
}
