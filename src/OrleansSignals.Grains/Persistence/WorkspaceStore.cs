using System.Text.Json;
using Npgsql;
using OrleansSignals.Grains.Insights;
using OrleansSignals.Grains.Workspaces;

namespace OrleansSignals.Grains.Persistence;

/// <summary>Storage of workspace grains, etag-checked like accounts. The etag doubles as the configuration version.</summary>
public sealed class WorkspaceStore(NpgsqlDataSource dataSource)
{
    public async Task<(WorkspaceState State, long Etag)?> LoadAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT state::text, etag FROM workspace_state WHERE workspace_id = $1");
        command.Parameters.Add(new() { Value = workspaceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var state = JsonSerializer.Deserialize(reader.GetString(0), GrainJson.Default.WorkspaceState)!;
        return (state with { Definitions = state.Definitions.Select(InsightDefinitionValidator.WithoutInapplicable).ToList() }, reader.GetInt64(1));
    }

    /// <summary>
    /// Saves the state if the stored etag is still <paramref name="expectedEtag"/> (0: not stored yet) and returns
    /// the new etag, or null when someone else saved first. With <paramref name="reevaluateAccounts"/>, every
    /// account of the workspace becomes due in the same transaction, so the reminder re-evaluates them all
    /// even if this host dies right after.
    /// </summary>
    public async Task<long?> SaveAsync(string workspaceId, WorkspaceState state, long expectedEtag, bool reevaluateAccounts, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        await using var save = new NpgsqlCommand(expectedEtag == 0
            ? """
              INSERT INTO workspace_state (workspace_id, etag, config_version, state, updated_at) VALUES ($1, 1, 1, $2::jsonb, now())
              ON CONFLICT (workspace_id) DO NOTHING RETURNING etag
              """
            : """
              UPDATE workspace_state SET etag = etag + 1, config_version = etag + 1, state = $2::jsonb, updated_at = now()
              WHERE workspace_id = $1 AND etag = $3 RETURNING etag
              """, connection, tx);
        save.Parameters.Add(new() { Value = workspaceId });
        save.Parameters.Add(new() { Value = JsonSerializer.Serialize(state, GrainJson.Default.WorkspaceState) });
        save.Parameters.Add(new() { Value = expectedEtag });
        if (await save.ExecuteScalarAsync(cancellationToken) is not long etag) return null;
        if (reevaluateAccounts)
        {
            await using var due = new NpgsqlCommand("UPDATE accounts SET next_due_at = now() WHERE workspace_id = $1", connection, tx);
            due.Parameters.Add(new() { Value = workspaceId });
            await due.ExecuteNonQueryAsync(cancellationToken);
        }
        await tx.CommitAsync(cancellationToken);
        return etag;
    }
}
