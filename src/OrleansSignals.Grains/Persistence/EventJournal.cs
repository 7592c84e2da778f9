using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Storage;

namespace OrleansSignals.Grains.Persistence;

/// <summary>
/// Each account's journal: the events table, in position order. An append stores one request's events in one
/// transaction (all or none), taking each event id once per workspace whatever its timestamp, and gives every
/// new event the next position of its account. Appends of concurrent requests share transactions (group commit);
/// a batch that fails for any reason is committed again request by request, so one request's failure fails it alone.
/// </summary>
public sealed partial class EventJournal : IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PartitionManager _partitions;
    private readonly StorageOptions _options;
    private readonly ILogger<EventJournal> _logger;
    private readonly BatchWorker<Append, Appended> _appends;
    private readonly BatchWorker<(string WorkspaceId, string AccountId, long After), List<JournalBatch>> _tails;

    public EventJournal(NpgsqlDataSource dataSource, PartitionManager partitions, IOptions<StorageOptions> options, ILogger<EventJournal> logger)
    {
        _dataSource = dataSource;
        _partitions = partitions;
        _options = options.Value;
        _logger = logger;
        _appends = new("journal appends", AppendBatch, _options.AppendBatchEvents, _options.WriteConcurrency, a => Math.Max(1, a.Events.Count));
        _tails = new("journal reads", ReadTails, _options.LoadBatchSize, concurrency: 2);
    }

    /// <summary>One request's events (ids unique within it), to store all or none.</summary>
    public sealed record Append(string WorkspaceId, DateTimeOffset ReceivedAt, IReadOnlyList<IncomingEvent> Events);

    /// <summary>What was stored: one batch per account with new events, and how many events were already stored.</summary>
    public sealed record Appended(IReadOnlyList<(string AccountId, JournalBatch Batch)> Batches, int Duplicates);

    /// <summary>Stores the events durably; returns once they are committed.</summary>
    public Task<Appended> AppendAsync(Append append) => _appends.EnqueueAsync(append);

    /// <summary>
    /// The account's events after <paramref name="afterPosition"/>, as turns: what an activation replays. Reads of many
    /// activations share one query (a burst of new accounts would otherwise cost a round trip each).
    /// </summary>
    public Task<List<JournalBatch>> ReadTailAsync(string workspaceId, string accountId, long afterPosition) =>
        _tails.EnqueueAsync((workspaceId, accountId, afterPosition));

    /// <summary>The account's events after <paramref name="afterPosition"/> (up to <paramref name="untilPosition"/>), grouped as their requests stored them.</summary>
    public async Task<List<JournalBatch>> ReadAsync(string workspaceId, string accountId, long afterPosition, long? untilPosition, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT position, received_at, event_id, person_id, event, occurred_at, properties::text, turn
            FROM events
            WHERE workspace_id = $1 AND account_id = $2 AND position > $3 AND ($4::bigint IS NULL OR position <= $4)
            ORDER BY position
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = accountId });
        command.Parameters.Add(new() { Value = afterPosition });
        command.Parameters.Add(new() { Value = (object?)untilPosition ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        var rows = new List<JournalRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new JournalRow(reader.GetInt64(0), reader.GetInt64(7), reader.GetFieldValue<DateTimeOffset>(1),
                new IncomingEvent(reader.GetString(2), accountId, reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                    reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetString(6), null)));
        }
        return Turns(rows);
    }

    public void Dispose()
    {
        _appends.Dispose();
        _tails.Dispose();
    }

    private void ReadTails(IReadOnlyList<BatchWorker<(string WorkspaceId, string AccountId, long After), List<JournalBatch>>.Item> batch)
    {
        using var command = _dataSource.CreateCommand("""
            SELECT e.workspace_id, e.account_id, e.position, e.received_at, e.event_id, e.person_id, e.event, e.occurred_at, e.properties::text, e.turn
            FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u(ws, acc, after)
            JOIN events e ON e.workspace_id = u.ws AND e.account_id = u.acc AND e.position > u.after AND e.position IS NOT NULL
            ORDER BY e.workspace_id, e.account_id, e.position
            """);
        command.Parameters.Add(new() { Value = batch.Select(i => i.Request.WorkspaceId).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(i => i.Request.AccountId).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(i => i.Request.After).ToArray() });
        var rows = new Dictionary<(string, string), List<JournalRow>>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = (reader.GetString(0), reader.GetString(1));
                if (!rows.TryGetValue(key, out var list)) rows[key] = list = [];
                list.Add(new JournalRow(reader.GetInt64(2), reader.GetInt64(9), reader.GetFieldValue<DateTimeOffset>(3),
                    new IncomingEvent(reader.GetString(4), key.Item2, reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6),
                        reader.GetFieldValue<DateTimeOffset>(7), reader.IsDBNull(8) ? null : reader.GetString(8), null)));
            }
        }
        foreach (var item in batch)
        {
            // Several activations of one account may ask at once (rare): each gets the rows after its own position.
            var tail = rows.TryGetValue((item.Request.WorkspaceId, item.Request.AccountId), out var list) ? list.Where(r => r.Position > item.Request.After) : [];
            item.Completion.TrySetResult(Turns(tail));
        }
    }

    private sealed record JournalRow(long Position, long Turn, DateTimeOffset ReceivedAt, IncomingEvent Event);

    /// <summary>Rows in position order, cut into turns: one request's events of the account name the same first position.</summary>
    private static List<JournalBatch> Turns(IEnumerable<JournalRow> rows)
    {
        var batches = new List<JournalBatch>();
        var current = new List<IncomingEvent>();
        JournalRow? head = null;
        foreach (var row in rows)
        {
            if (head is not null && row.Turn != head.Turn)
            {
                batches.Add(new JournalBatch(head.Position, head.ReceivedAt, current));
                current = [];
                head = null;
            }
            head ??= row;
            current.Add(row.Event with { NumericProperties = EventProperties.Numeric(row.Event.PropertiesJson) });
        }
        if (head is not null) batches.Add(new JournalBatch(head.Position, head.ReceivedAt, current));
        return batches;
    }

    private void AppendBatch(IReadOnlyList<BatchWorker<Append, Appended>.Item> batch)
    {
        _partitions.EnsureAsync("events", batch.SelectMany(i => i.Request.Events).Select(e => e.Timestamp), CancellationToken.None).GetAwaiter().GetResult();
        BatchWorker<Append, Appended>.CommitIsolated(batch, CommitWithRetries, (ex, count) => LogIsolating(ex, count));
    }

    private void CommitWithRetries(IReadOnlyList<BatchWorker<Append, Appended>.Item> batch)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var results = Commit(batch);
                for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(results[i]);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
                                               && attempt < _options.TransientRetries)
            {
                LogRetry(ex.SqlState, batch.Count, attempt + 1);
            }
        }
    }

    /// <summary>One transaction for the batch: ids first (the idempotency key), then positions, then the events.</summary>
    private Appended[] Commit(IReadOnlyList<BatchWorker<Append, Appended>.Item> batch)
    {
        // An id twice in the batch (two requests at once): the earlier request has it. Ids in key order, so two
        // transactions inserting the same ids wait for each other instead of deadlocking.
        var eventCount = 0;
        for (var r = 0; r < batch.Count; r++) eventCount += batch[r].Request.Events.Count;
        var taken = new HashSet<(string, string)>(eventCount);
        var candidates = new List<(int Request, IncomingEvent Event)>(eventCount);
        for (var r = 0; r < batch.Count; r++)
        {
            foreach (var e in batch[r].Request.Events)
                if (taken.Add((batch[r].Request.WorkspaceId, e.EventId))) candidates.Add((r, e));
        }

        using var connection = _dataSource.OpenConnection();
        using var tx = connection.BeginTransaction();
        var fresh = InsertIds(connection, tx, batch, candidates);
        var accepted = candidates.Where(c => fresh.Contains((batch[c.Request].Request.WorkspaceId, c.Event.EventId))).ToList();

        // Positions: the heads of the accounts, in key order (row locks held to commit keep each account's positions in commit order).
        var perAccount = accepted.GroupBy(c => (batch[c.Request].Request.WorkspaceId, c.Event.AccountId, c.Request))
            .Select(g => (Key: g.Key, Events: g.Select(c => c.Event).ToList()))
            .ToList();
        var heads = AdvanceHeads(connection, tx, perAccount.GroupBy(p => (p.Key.WorkspaceId, p.Key.AccountId)).Select(g => (g.Key.WorkspaceId, g.Key.AccountId, g.Sum(p => p.Events.Count))));

        // Requests of one account in one batch get consecutive ranges, in batch order.
        var next = new Dictionary<(string, string), long>(heads.Count);
        foreach (var (key, (first, _)) in heads) next[key] = first;
        var results = new List<(string, JournalBatch)>[batch.Count];
        for (var r = 0; r < batch.Count; r++) results[r] = [];
        var rows = new List<(string WorkspaceId, long Position, long Turn, DateTimeOffset ReceivedAt, IncomingEvent Event)>(accepted.Count);
        foreach (var (key, events) in perAccount)
        {
            var first = next[(key.WorkspaceId, key.AccountId)];
            next[(key.WorkspaceId, key.AccountId)] = first + events.Count;
            var receivedAt = batch[key.Request].Request.ReceivedAt;
            results[key.Request].Add((key.AccountId, new JournalBatch(first, receivedAt, events)));
            for (var i = 0; i < events.Count; i++) rows.Add((key.WorkspaceId, first + i, first, receivedAt, events[i]));
        }
        if (rows.Count > 0) CopyEvents(connection, rows);
        tx.Commit();
        return [.. results.Select((r, i) => new Appended(r, batch[i].Request.Events.Count - r.Sum(b => b.Item2.Events.Count)))];
    }

    private static HashSet<(string, string)> InsertIds(NpgsqlConnection connection, NpgsqlTransaction tx,
        IReadOnlyList<BatchWorker<Append, Appended>.Item> batch, List<(int Request, IncomingEvent Event)> candidates)
    {
        var sorted = candidates.Select(c => (batch[c.Request].Request.WorkspaceId, c.Event.EventId))
            .OrderBy(c => c.WorkspaceId, StringComparer.Ordinal).ThenBy(c => c.EventId, StringComparer.Ordinal).ToArray();
        using var command = new NpgsqlCommand("""
            INSERT INTO event_ids (workspace_id, event_id)
            SELECT * FROM unnest($1::text[], $2::text[])
            ON CONFLICT (workspace_id, event_id) DO NOTHING
            RETURNING workspace_id, event_id
            """, connection, tx);
        command.Parameters.Add(new() { Value = sorted.Select(s => s.WorkspaceId).ToArray() });
        command.Parameters.Add(new() { Value = sorted.Select(s => s.EventId).ToArray() });
        var fresh = new HashSet<(string, string)>(sorted.Length);
        using var reader = command.ExecuteReader();
        while (reader.Read()) fresh.Add((reader.GetString(0), reader.GetString(1)));
        return fresh;
    }

    private static Dictionary<(string WorkspaceId, string AccountId), (long First, long Last)> AdvanceHeads(
        NpgsqlConnection connection, NpgsqlTransaction tx, IEnumerable<(string WorkspaceId, string AccountId, int Count)> accounts)
    {
        var sorted = accounts.OrderBy(a => a.WorkspaceId, StringComparer.Ordinal).ThenBy(a => a.AccountId, StringComparer.Ordinal).ToArray();
        var heads = new Dictionary<(string, string), (long, long)>(sorted.Length);
        if (sorted.Length == 0) return heads;
        using var command = new NpgsqlCommand("""
            INSERT INTO account_journal AS j (workspace_id, account_id, head)
            SELECT ws, acc, n FROM unnest($1::text[], $2::text[], $3::int[]) WITH ORDINALITY AS u(ws, acc, n, ord) ORDER BY ord
            ON CONFLICT (workspace_id, account_id) DO UPDATE SET head = j.head + excluded.head, appended_at = now()
            RETURNING workspace_id, account_id, head
            """, connection, tx);
        command.Parameters.Add(new() { Value = sorted.Select(s => s.WorkspaceId).ToArray() });
        command.Parameters.Add(new() { Value = sorted.Select(s => s.AccountId).ToArray() });
        command.Parameters.Add(new() { Value = sorted.Select(s => s.Count).ToArray() });
        var counts = sorted.ToDictionary(s => (s.WorkspaceId, s.AccountId), s => s.Count);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var key = (reader.GetString(0), reader.GetString(1));
            var last = reader.GetInt64(2);
            heads[key] = (last - counts[key] + 1, last);
        }
        return heads;
    }

    /// <summary>Binary COPY: several times cheaper than INSERT for the same rows.</summary>
    private static void CopyEvents(NpgsqlConnection connection, List<(string WorkspaceId, long Position, long Turn, DateTimeOffset ReceivedAt, IncomingEvent Event)> rows)
    {
        using var importer = connection.BeginBinaryImport(
            "COPY events (workspace_id, event_id, account_id, person_id, event, occurred_at, received_at, properties, position, turn) FROM STDIN (FORMAT BINARY)");
        foreach (var (workspaceId, position, turn, receivedAt, e) in rows)
        {
            importer.StartRow();
            importer.Write(workspaceId, NpgsqlDbType.Text);
            importer.Write(e.EventId, NpgsqlDbType.Text);
            importer.Write(e.AccountId, NpgsqlDbType.Text);
            if (e.PersonId is null) importer.WriteNull(); else importer.Write(e.PersonId, NpgsqlDbType.Text);
            importer.Write(e.Event, NpgsqlDbType.Text);
            importer.Write(e.Timestamp, NpgsqlDbType.TimestampTz);
            importer.Write(receivedAt, NpgsqlDbType.TimestampTz);
            if (e.PropertiesJson is null) importer.WriteNull(); else importer.Write(e.PropertiesJson, NpgsqlDbType.Jsonb);
            importer.Write(position, NpgsqlDbType.Bigint);
            importer.Write(turn, NpgsqlDbType.Bigint);
        }
        importer.Complete();
    }

    [LoggerMessage(LogLevel.Information, "Journal append of {Count} requests hit {SqlState}; retrying (attempt {Attempt})")]
    private partial void LogRetry(string sqlState, int count, int attempt);

    [LoggerMessage(LogLevel.Warning, "Journal append of {Count} requests failed; committing them one by one")]
    private partial void LogIsolating(Exception ex, int count);
}
