using System.Globalization;
using System.Text.Json;
using Npgsql;
using Orleans.Storage;
using OrleansSignals.Grains.Insights;
using OrleansSignals.Grains.Workspaces;

namespace OrleansSignals.Grains.Persistence;

/// <summary>
/// The Orleans storage provider of workspace grains (<c>[PersistentState("workspace", "workspaces")]</c>), on our own
/// <c>workspace_state</c> table: checkpoints and the insight-snapshot export read it. Writes are etag-checked; the etag
/// doubles as the configuration version.
/// </summary>
public sealed class WorkspaceStorage(NpgsqlDataSource dataSource) : IGrainStorage
{
    public const string Name = "workspaces";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var command = dataSource.CreateCommand("SELECT state::text, etag FROM workspace_state WHERE workspace_id = $1");
        command.Parameters.Add(new() { Value = grainId.Key.ToString()! });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            grainState.State = (T)(object)new WorkspaceState();
            (grainState.ETag, grainState.RecordExists) = (null, false);
            return;
        }
        var state = JsonSerializer.Deserialize(reader.GetString(0), GrainJson.Default.WorkspaceState)!;
        grainState.State = (T)(object)(state with { Definitions = state.Definitions.Select(InsightDefinitionValidator.WithoutInapplicable).ToList() });
        (grainState.ETag, grainState.RecordExists) = (reader.GetInt64(1).ToString(CultureInfo.InvariantCulture), true);
    }

    /// <summary>
    /// Saves the state if the stored etag is still the one read. With <see cref="WorkspaceState.ReevaluateAccounts"/>, every
    /// stored account of the workspace becomes due in the same transaction, so the reminder re-evaluates them all even if
    /// this host dies right after.
    /// </summary>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteOnceAsync(grainId, grainState);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 3)
            {
                // Making every account due can meet a checkpoint batch locking the same rows in another order.
            }
        }
    }

    private async Task WriteOnceAsync<T>(GrainId grainId, IGrainState<T> grainState)
    {
        var state = (WorkspaceState)(object)grainState.State!;
        var workspaceId = grainId.Key.ToString()!;
        var expected = grainState.ETag is { } etag ? long.Parse(etag, CultureInfo.InvariantCulture) : 0;
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var save = new NpgsqlCommand(expected == 0
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
        save.Parameters.Add(new() { Value = expected });
        if (await save.ExecuteScalarAsync() is not long written)
            throw new InconsistentStateException($"Workspace {workspaceId} was saved by another activation.", grainState.ETag, grainState.ETag);
        if (state.ReevaluateAccounts)
        {
            await using var due = new NpgsqlCommand("UPDATE accounts SET next_due_at = now() WHERE workspace_id = $1", connection, tx);
            due.Parameters.Add(new() { Value = workspaceId });
            await due.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        (grainState.ETag, grainState.RecordExists) = (written.ToString(CultureInfo.InvariantCulture), true);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        throw new NotSupportedException("A workspace's configuration is replaced, never cleared.");
}
