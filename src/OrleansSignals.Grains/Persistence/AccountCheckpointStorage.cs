using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Storage;

namespace OrleansSignals.Grains.Persistence;

/// <summary>
/// The Orleans storage provider of account checkpoints (<c>[PersistentState("account", "accounts")]</c>), on our own
/// <c>accounts</c> table because lists, exports and the due-account reminder query it. Reads are batched into one
/// query and writes into one transaction (group commit); each write still succeeds or fails alone: it is applied only
/// if the stored etag is the one its activation read, so a rare duplicate activation cannot overwrite a newer checkpoint.
/// </summary>
public sealed partial class AccountCheckpointStorage : IGrainStorage, IDisposable
{
    public const string Name = "accounts";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PartitionManager _partitions;
    private readonly StorageOptions _options;
    private readonly ILogger<AccountCheckpointStorage> _logger;
    private readonly BatchWorker<(string WorkspaceId, string AccountId), Stored?> _loads;
    private readonly BatchWorker<Write, long?> _writes;

    public AccountCheckpointStorage(NpgsqlDataSource dataSource, PartitionManager partitions, IOptions<StorageOptions> options, ILogger<AccountCheckpointStorage> logger)
    {
        _dataSource = dataSource;
        _partitions = partitions;
        _options = options.Value;
        _logger = logger;
        _loads = new("checkpoint loads", LoadBatch, _options.LoadBatchSize, concurrency: 2);
        _writes = new("checkpoint writes", WriteBatch, _options.WriteBatchSize, _options.WriteConcurrency);
    }

    private sealed record Stored(string Json, long Position, long Etag);

    private sealed record Write(string WorkspaceId, string AccountId, long ExpectedEtag, AccountCheckpoint Checkpoint)
    {
        public string ActiveInsights { get; } = string.Join(',', Checkpoint.State!.Insights.Where(p => p.Value.Active).Select(p => p.Key));
    }

    public static AccountState Deserialize(string json) => JsonSerializer.Deserialize(json, GrainJson.Default.AccountState)!;

    public static string Serialize(AccountState state) => JsonSerializer.Serialize(state, GrainJson.Default.AccountState);

    /// <summary>
    /// The state as UTF-8 JSON, what the <c>json</c> column stores: half the bytes of a .NET string, and no transcoding
    /// on either side (a checkpoint's string was the largest single allocation of ingest, about 12% of its bytes).
    /// </summary>
    public static byte[] SerializeToUtf8(AccountState state) => JsonSerializer.SerializeToUtf8Bytes(state, GrainJson.Default.AccountState);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (workspaceId, accountId) = AccountKey.Parse(grainId.Key.ToString()!);
        var stored = await _loads.EnqueueAsync((workspaceId, accountId));
        var checkpoint = new AccountCheckpoint();
        if (stored is not null)
        {
            checkpoint.State = Deserialize(stored.Json);
            checkpoint.Position = stored.Position;
        }
        grainState.State = (T)(object)checkpoint;
        grainState.ETag = stored?.Etag.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = stored is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var checkpoint = (AccountCheckpoint)(object)grainState.State!;
        if (checkpoint.State is null) return;
        var (workspaceId, accountId) = AccountKey.Parse(grainId.Key.ToString()!);
        var expected = grainState.ETag is { } etag ? long.Parse(etag, CultureInfo.InvariantCulture) : 0;
        var written = await _writes.EnqueueAsync(new Write(workspaceId, accountId, expected, checkpoint))
            ?? throw new InconsistentStateException($"Account {accountId} was checkpointed by another activation.", grainState.ETag, grainState.ETag);
        checkpoint.Transitions.Clear();
        checkpoint.TraitChanges.Clear();
        grainState.ETag = written.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        throw new NotSupportedException("Account checkpoints are never cleared: an account's journal stays.");

    public void Dispose()
    {
        _loads.Dispose();
        _writes.Dispose();
    }

    private void LoadBatch(IReadOnlyList<BatchWorker<(string, string), Stored?>.Item> batch)
    {
        using var command = _dataSource.CreateCommand("""
            SELECT a.workspace_id, a.account_id, a.state::text, a.position, a.etag
            FROM accounts a JOIN unnest($1::text[], $2::text[]) AS u(ws, acc) ON a.workspace_id = u.ws AND a.account_id = u.acc
            """);
        command.Parameters.Add(new() { Value = batch.Select(i => i.Request.Item1).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(i => i.Request.Item2).ToArray() });
        var found = new Dictionary<(string, string), Stored>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read()) found[(reader.GetString(0), reader.GetString(1))] = new Stored(reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4));
        }
        foreach (var item in batch) item.Completion.TrySetResult(found.GetValueOrDefault(item.Request));
    }

    private void WriteBatch(IReadOnlyList<BatchWorker<Write, long?>.Item> batch)
    {
        _partitions.EnsureAsync("history", batch.SelectMany(i => i.Request.Checkpoint.Transitions).Select(t => t.OccurredAt), CancellationToken.None)
            .GetAwaiter().GetResult();
        BatchWorker<Write, long?>.CommitIsolated(batch, items =>
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    Commit(items);
                    return;
                }
                catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
                                                   && attempt < _options.TransientRetries)
                {
                    LogRetry(ex.SqlState, items.Count, attempt + 1);
                }
            }
        }, (ex, count) => LogIsolating(ex, count));
    }

    private void Commit(IReadOnlyList<BatchWorker<Write, long?>.Item> items)
    {
        // Each account once per transaction: a second write of the same account (a duplicate activation) waits for
        // the next round, where its etag decides. Keying results by account is sound only because of this.
        var seen = new HashSet<(string, string)>(items.Count);
        var now = new List<int>(items.Count);
        var later = new List<BatchWorker<Write, long?>.Item>();
        for (var i = 0; i < items.Count; i++)
        {
            if (seen.Add((items[i].Request.WorkspaceId, items[i].Request.AccountId))) now.Add(i);
            else later.Add(items[i]);
        }
        var states = new byte[items.Count][];
        foreach (var i in now) states[i] = SerializeToUtf8(items[i].Request.Checkpoint.State!);
        using var connection = _dataSource.OpenConnection();
        using var tx = connection.BeginTransaction();
        var written = new Dictionary<(string, string), long>(now.Count);
        var updates = now.Where(i => items[i].Request.ExpectedEtag > 0).ToArray();
        var inserts = now.Where(i => items[i].Request.ExpectedEtag == 0).ToArray();
        if (updates.Length > 0) WriteRows(connection, tx, UpdateSql, items, updates, states, written);
        if (inserts.Length > 0) WriteRows(connection, tx, InsertSql, items, inserts, states, written);
        var stored = now.Select(i => items[i].Request).Where(w => written.ContainsKey((w.WorkspaceId, w.AccountId))).ToList();
        Outbox.AppendTransitions(connection, tx,
            [.. stored.SelectMany(w => w.Checkpoint.Transitions.Select(t => TransitionWriter.Row(w.WorkspaceId, w.AccountId, t)))]);
        TraitChangeRows.Append(connection, tx, [.. stored.SelectMany(w => w.Checkpoint.TraitChanges.Select(c => (w.WorkspaceId, w.AccountId, c)))]);
        tx.Commit();
        foreach (var i in now)
        {
            var w = items[i].Request;
            items[i].Completion.TrySetResult(written.TryGetValue((w.WorkspaceId, w.AccountId), out var etag) ? etag : null);
        }
        if (later.Count > 0) Commit(later);
    }

    private const string UpdateSql = """
        UPDATE accounts AS a SET
            etag = a.etag + 1, state = u.state, position = u.pos, health_score = u.health,
            active_insights = string_to_array(u.insights, ','), config_version = u.cfg, updated_at = u.updated,
            -- A workspace change committed after this state read its configuration: stay due, so the reminder re-evaluates.
            next_due_at = CASE WHEN u.cfg < coalesce(w.config_version, 0) THEN now() ELSE u.due END
        FROM unnest($1::text[], $2::text[], $3::bigint[], $4::json[], $5::int[], $6::text[], $7::bigint[], $8::timestamptz[], $9::timestamptz[], $10::bigint[])
             AS u(ws, acc, etag, state, health, insights, cfg, due, updated, pos)
             LEFT JOIN workspace_state w ON w.workspace_id = u.ws
        WHERE a.workspace_id = u.ws AND a.account_id = u.acc AND a.etag = u.etag
        RETURNING a.workspace_id, a.account_id, a.etag
        """;

    private const string InsertSql = """
        INSERT INTO accounts (workspace_id, account_id, etag, state, position, health_score, active_insights, config_version, next_due_at, updated_at)
        SELECT u.ws, u.acc, 1, u.state, u.pos, u.health, string_to_array(u.insights, ','), u.cfg,
               CASE WHEN u.cfg < coalesce(w.config_version, 0) THEN now() ELSE u.due END,
               u.updated
        FROM unnest($1::text[], $2::text[], $3::bigint[], $4::json[], $5::int[], $6::text[], $7::bigint[], $8::timestamptz[], $9::timestamptz[], $10::bigint[])
             AS u(ws, acc, etag, state, health, insights, cfg, due, updated, pos)
             LEFT JOIN workspace_state w ON w.workspace_id = u.ws
        ON CONFLICT (workspace_id, account_id) DO NOTHING
        RETURNING workspace_id, account_id, etag
        """;

    private static void WriteRows(
        NpgsqlConnection connection, NpgsqlTransaction tx, string sql, IReadOnlyList<BatchWorker<Write, long?>.Item> items, int[] rows,
        byte[][] states, Dictionary<(string, string), long> written)
    {
        using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.Add(new() { Value = rows.Select(i => items[i].Request.WorkspaceId).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(i => items[i].Request.AccountId).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(i => items[i].Request.ExpectedEtag).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(i => states[i]).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json });
        command.Parameters.Add(new() { Value = rows.Select(i => items[i].Request.Checkpoint.State!.HealthScore ?? 0).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(i => items[i].Request.ActiveInsights).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(i => items[i].Request.Checkpoint.State!.ConfigVersion).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(i => items[i].Request.Checkpoint.State!.NextDueAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = rows.Select(i => items[i].Request.Checkpoint.State!.UpdatedAt).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(i => items[i].Request.Checkpoint.Position).ToArray() });
        using var reader = command.ExecuteReader();
        while (reader.Read()) written[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
    }

    [LoggerMessage(LogLevel.Information, "Checkpoint batch of {Count} hit {SqlState}; retrying (attempt {Attempt})")]
    private partial void LogRetry(string sqlState, int count, int attempt);

    [LoggerMessage(LogLevel.Warning, "Checkpoint batch of {Count} failed; writing its checkpoints one by one")]
    private partial void LogIsolating(Exception ex, int count);
}
