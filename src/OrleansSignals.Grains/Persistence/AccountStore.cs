using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Storage;

namespace OrleansSignals.Grains.Persistence;

/// <summary>
/// Storage of account grains. Loads are batched into one query; commits are grouped into one
/// transaction per batch, and each commit still succeeds or fails alone: its state row is written only
/// if the stored etag is the one its turn started from, and its events, history and outbox rows only
/// if its state row was written.
/// </summary>
public sealed partial class AccountStore : IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PartitionManager _partitions;
    private readonly GrainChangeNotifier _notifier;
    private readonly StorageOptions _options;
    private readonly ILogger<AccountStore> _logger;
    private readonly BatchWorker<(string WorkspaceId, string AccountId), LoadedAccount?> _loads;
    private readonly BatchWorker<AccountCommit, long?> _commits;

    public AccountStore(NpgsqlDataSource dataSource, PartitionManager partitions, GrainChangeNotifier notifier, IOptions<StorageOptions> options, ILogger<AccountStore> logger)
    {
        _dataSource = dataSource;
        _partitions = partitions;
        _notifier = notifier;
        _options = options.Value;
        _logger = logger;
        _loads = new("account loads", LoadBatch, _options.LoadBatchSize, concurrency: 2);
        _commits = new("account commits", CommitBatch, _options.WriteBatchSize, _options.WriteConcurrency);
    }

    /// <summary>The stored state of an account, or null when it has never been stored.</summary>
    public Task<LoadedAccount?> LoadAsync(string workspaceId, string accountId) => _loads.EnqueueAsync((workspaceId, accountId));

    /// <summary>Commits a turn; returns the new etag, or null when another turn (on any silo) committed first.</summary>
    public Task<long?> CommitAsync(AccountCommit commit) => _commits.EnqueueAsync(commit);

    public void Dispose()
    {
        _loads.Dispose();
        _commits.Dispose();
    }

    /// <summary>A stored state. One of an older format is brought up to date by its next turn (<see cref="MetricKeys.Upgrade"/>).</summary>
    public static AccountState Deserialize(string json) => JsonSerializer.Deserialize(json, GrainJson.Default.AccountState)!;

    public static string Serialize(AccountState state) => JsonSerializer.Serialize(state, GrainJson.Default.AccountState);

    private void LoadBatch(IReadOnlyList<BatchWorker<(string, string), LoadedAccount?>.Item> batch)
    {
        using var command = _dataSource.CreateCommand("""
            SELECT a.workspace_id, a.account_id, a.etag, a.state::text
            FROM accounts a JOIN unnest($1::text[], $2::text[]) AS u(ws, acc) ON a.workspace_id = u.ws AND a.account_id = u.acc
            """);
        command.Parameters.Add(new() { Value = batch.Select(i => i.Request.Item1).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(i => i.Request.Item2).ToArray() });
        var found = new Dictionary<(string, string), LoadedAccount>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                found[(reader.GetString(0), reader.GetString(1))] = new LoadedAccount(Deserialize(reader.GetString(3)), reader.GetInt64(2));
        }
        foreach (var item in batch) item.Completion.TrySetResult(found.GetValueOrDefault(item.Request));
    }

    private void CommitBatch(IReadOnlyList<BatchWorker<AccountCommit, long?>.Item> batch)
    {
        // Rare (a new month): blocking here is fine, this is a dedicated thread.
        _partitions.EnsureAsync("events", batch.SelectMany(i => i.Request.Events).Select(e => e.Timestamp), CancellationToken.None).GetAwaiter().GetResult();
        _partitions.EnsureAsync("history", batch.SelectMany(i => i.Request.Transitions).Select(t => t.OccurredAt), CancellationToken.None).GetAwaiter().GetResult();
        var clock = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var written = TryCommit(batch);
                LogCommitted(batch.Count, written.Count, clock.Elapsed.TotalMilliseconds);
                foreach (var item in batch)
                    item.Completion.TrySetResult(written.TryGetValue((item.Request.WorkspaceId, item.Request.AccountId), out var etag) ? etag : null);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
                                               && attempt < _options.TransientRetries)
            {
                // Two silos writing overlapping accounts in different orders: the loser rolls back whole and goes again.
                LogRetry(ex.SqlState, batch.Count, attempt + 1);
            }
            catch (PostgresException ex) when (!ex.IsTransient && batch.Count > 1)
            {
                // One turn's data was refused: commit the turns one by one, so only that turn fails
                // and the others, which share this batch by chance, do not.
                LogIsolating(ex.SqlState, batch.Count);
                foreach (var item in batch)
                {
                    try
                    {
                        CommitBatch([item]);
                    }
                    catch (Exception single)
                    {
                        item.Completion.TrySetException(single);
                    }
                }
                return;
            }
        }
    }

    /// <summary>One transaction for the batch; returns the new etag of every commit that won.</summary>
    private Dictionary<(string, string), long> TryCommit(IReadOnlyList<BatchWorker<AccountCommit, long?>.Item> batch)
    {
        using var connection = _dataSource.OpenConnection();
        using var tx = connection.BeginTransaction();
        var written = new Dictionary<(string, string), long>();
        var eligible = WithoutSharedEventIds(batch);
        var existing = eligible.Where(i => batch[i].Request.ExpectedEtag > 0).ToArray();
        var created = eligible.Where(i => batch[i].Request.ExpectedEtag == 0).ToArray();
        if (existing.Length > 0) WriteStates(connection, tx, UpdateSql, batch, existing, written);
        if (created.Length > 0) WriteStates(connection, tx, InsertSql, batch, created, written);

        var winners = batch.Select(i => i.Request).Where(c => written.ContainsKey((c.WorkspaceId, c.AccountId))).ToList();
        var events = winners.SelectMany(c => c.Events.Select(e => (c.WorkspaceId, Event: e))).ToList();
        if (events.Count > 0)
        {
            try
            {
                CopyEvents(connection, events);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // An event id stored meanwhile by a request racing with this one: no turn in the batch
                // may count it, so the whole batch rolls back and each turn re-checks its events.
                tx.Rollback();
                LogEventRace(batch.Count);
                return [];
            }
        }
        var transitions = winners.SelectMany(c => c.Transitions.Select(t => (c.WorkspaceId, c.AccountId, Transition: t))).ToList();
        if (transitions.Count > 0) InsertTransitions(connection, tx, transitions);
        _notifier.NotifyAccounts(connection, tx, written);
        tx.Commit();
        return written;
    }

    /// <summary>
    /// Commits of this batch except those reusing an event id an earlier commit of the batch carries
    /// (two accounts sent the same id at once). Those lose this round, retry, and then see the id stored.
    /// </summary>
    private static List<int> WithoutSharedEventIds(IReadOnlyList<BatchWorker<AccountCommit, long?>.Item> batch)
    {
        var seen = new HashSet<(string, string)>();
        var eligible = new List<int>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var commit = batch[i].Request;
            if (commit.Events.Any(e => seen.Contains((commit.WorkspaceId, e.EventId)))) continue;
            foreach (var e in commit.Events) seen.Add((commit.WorkspaceId, e.EventId));
            eligible.Add(i);
        }
        return eligible;
    }

    private const string UpdateSql = """
        UPDATE accounts AS a SET
            etag = a.etag + 1, state = u.state::json, health_score = u.health,
            active_insights = string_to_array(u.insights, ','), config_version = u.cfg, updated_at = u.updated,
            -- A workspace change committed after this turn read its configuration: stay due, so the reminder re-evaluates.
            next_due_at = CASE WHEN u.cfg < coalesce(w.config_version, 0) THEN now() ELSE u.due END
        FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::int[], $6::text[], $7::bigint[], $8::timestamptz[], $9::timestamptz[])
             AS u(ws, acc, etag, state, health, insights, cfg, due, updated)
             LEFT JOIN workspace_state w ON w.workspace_id = u.ws
        WHERE a.workspace_id = u.ws AND a.account_id = u.acc AND a.etag = u.etag
        RETURNING a.workspace_id, a.account_id, a.etag
        """;

    private const string InsertSql = """
        INSERT INTO accounts (workspace_id, account_id, etag, state, health_score, active_insights, config_version, next_due_at, updated_at)
        SELECT u.ws, u.acc, 1, u.state::json, u.health, string_to_array(u.insights, ','), u.cfg,
               CASE WHEN u.cfg < coalesce(w.config_version, 0) THEN now() ELSE u.due END,
               u.updated
        FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::int[], $6::text[], $7::bigint[], $8::timestamptz[], $9::timestamptz[])
             AS u(ws, acc, etag, state, health, insights, cfg, due, updated)
             LEFT JOIN workspace_state w ON w.workspace_id = u.ws
        ON CONFLICT (workspace_id, account_id) DO NOTHING
        RETURNING workspace_id, account_id, etag
        """;

    private static void WriteStates(
        NpgsqlConnection connection, NpgsqlTransaction tx, string sql,
        IReadOnlyList<BatchWorker<AccountCommit, long?>.Item> batch, int[] rows, Dictionary<(string, string), long> written)
    {
        using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.Add(new() { Value = rows.Select(i => batch[i].Request.WorkspaceId).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(i => batch[i].Request.AccountId).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(i => batch[i].Request.ExpectedEtag).ToArray() });
        // Serialized here, not by the turn: a large request leaves tens of thousands of turns waiting
        // for their batch, and their JSON would all be alive at once (expensive garbage collections).
        command.Parameters.Add(new() { Value = rows.Select(i => Serialize(batch[i].Request.State)).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(i => batch[i].Request.State.HealthScore ?? 0).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(i => batch[i].Request.ActiveInsights).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(i => batch[i].Request.State.ConfigVersion).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(i => batch[i].Request.State.NextDueAt).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = rows.Select(i => batch[i].Request.State.UpdatedAt).ToArray() });
        using var reader = command.ExecuteReader();
        while (reader.Read()) written[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
    }

    /// <summary>
    /// Binary COPY of the winners' events: several times cheaper than INSERT for the same rows. The API
    /// checked the ids first, so a duplicate here means a request raced this one with the same id: the
    /// unique key refuses the COPY and <see cref="TryCommit"/> rolls the batch back.
    /// </summary>
    private static void CopyEvents(NpgsqlConnection connection, List<(string WorkspaceId, IncomingEvent Event)> events)
    {
        using var importer = connection.BeginBinaryImport(
            "COPY events (workspace_id, event_id, account_id, person_id, event, occurred_at, properties) FROM STDIN (FORMAT BINARY)");
        foreach (var (workspaceId, e) in events)
        {
            importer.StartRow();
            importer.Write(workspaceId, NpgsqlDbType.Text);
            importer.Write(e.EventId, NpgsqlDbType.Text);
            importer.Write(e.AccountId, NpgsqlDbType.Text);
            if (e.PersonId is null) importer.WriteNull(); else importer.Write(e.PersonId, NpgsqlDbType.Text);
            importer.Write(e.Event, NpgsqlDbType.Text);
            importer.Write(e.Timestamp, NpgsqlDbType.TimestampTz);
            if (e.PropertiesJson is null) importer.WriteNull(); else importer.Write(e.PropertiesJson, NpgsqlDbType.Jsonb);
        }
        importer.Complete();
    }

    private static void InsertTransitions(NpgsqlConnection connection, NpgsqlTransaction tx, List<(string WorkspaceId, string AccountId, Transition Transition)> rows)
    {
        using var command = new NpgsqlCommand("""
            WITH h AS (
                INSERT INTO history (id, workspace_id, account_id, occurred_at, type, key, old_value, new_value, health_score)
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[])
                RETURNING id, workspace_id, account_id, type, occurred_at)
            INSERT INTO outbox (transition_id, workspace_id, account_id, type, occurred_at)
            SELECT id, workspace_id, account_id, type, occurred_at FROM h
            """, connection, tx);
        command.Parameters.Add(new() { Value = rows.Select(r => r.Transition.Id).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.WorkspaceId).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.AccountId).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Transition.OccurredAt).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Transition.Type).ToArray() });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Transition.Key).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Transition.OldValue).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Transition.NewValue).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = rows.Select(r => r.Transition.HealthScore).ToArray() });
        command.ExecuteNonQuery();
    }

    [LoggerMessage(LogLevel.Debug, "Committed {Written}/{Count} account turns in {TotalMs:F1} ms")]
    private partial void LogCommitted(int count, int written, double totalMs);

    [LoggerMessage(LogLevel.Information, "Account batch of {Count} hit {SqlState}; retrying (attempt {Attempt})")]
    private partial void LogRetry(string sqlState, int count, int attempt);

    [LoggerMessage(LogLevel.Warning, "Account batch of {Count} refused ({SqlState}); committing its turns one by one")]
    private partial void LogIsolating(string sqlState, int count);

    [LoggerMessage(LogLevel.Information, "Account batch of {Count} rolled back: an event id was stored by a concurrent request; turns retry")]
    private partial void LogEventRace(int count);
}
