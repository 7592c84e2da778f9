using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace OrleansSignals.Bench;

/// <summary>
/// Ingest throughput into grain state: POSTs pre-built batches to /api/events with a few concurrent
/// clients, then loads the same rows with PostgreSQL binary COPY into a copy of the events table, and
/// reports both rates and their ratio.
/// </summary>
internal static class IngestBenchmark
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var args = new Args(argv);
        var accounts = args.Int("accounts", 100_000);
        var warm = args.Int("warm", 200_000);
        var events = args.Int("events", 1_000_000);
        var batch = args.Int("batch", 10_000);
        var concurrency = args.Int("concurrency", 4);
        // 240 h: backfill-shaped (many hours per account, insights flipping); ~0.1 h: a live stream.
        var spreadHours = double.Parse(args.Get("spread-hours", "240"), System.Globalization.CultureInfo.InvariantCulture);
        // An experiment, not the benchmark: the timed events sorted by account, so that each account's events
        // arrive in one request and make one turn. That is what the best possible coalescing of turns (a
        // checkpointed state) could save; see "The floor" in docs/benchmarks.md.
        var grouped = args.Get("grouped", "false") == "true";
        // --url may list several hosts (comma-separated, same database): batches go to them in turn.
        var clients = args.Get("url").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(u => new SignalsClient(u)).ToArray();
        var client = clients[0];
        var key = await client.CreateWorkspaceAsync(args.Get("admin-token"), $"bench-{DateTime.UtcNow:HHmmss}");
        foreach (var other in clients[1..]) other.UseKey(key);
        await client.DefineAsync(new { key = "power_user", kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = 3 });
        await client.DefineAsync(new { key = "churn_risk", kind = "event_count", @event = "login", window_days = 14, @operator = "lt", value = 1 });
        await client.DefineAsync(new { key = "account_dark", kind = "inactivity", days = 14 });
        await client.DefineAsync(new { key = "big_team", kind = "metric", source = "event", property = "seats", @operator = "gte", value = 40 });

        var generator = new EventGenerator(accounts, seed: Environment.TickCount, spreadHours);
        Console.WriteLine($"accounts={accounts} warm={warm} events={events} batch={batch} concurrency={concurrency} spread-hours={spreadHours} hosts={clients.Length}{(grouped ? " grouped by account" : "")}");
        var warmBatches = Build(generator, warm, batch, out _);
        var timedBatches = Build(generator, events, batch, out var timedRows, grouped);
        Console.WriteLine($"batch example: {EventGenerator.Describe(timedBatches[0])}");

        var warmTime = await PostAllAsync(clients, warmBatches, concurrency);
        Console.WriteLine($"warm-up: {warm:N0} events in {warmTime.TotalSeconds:F1} s = {warm / warmTime.TotalSeconds:N0} events/s (creates most accounts)");
        var timed = await PostAllAsync(clients, timedBatches, concurrency);
        var rate = events / timed.TotalSeconds;
        Console.WriteLine($"ingest:  {events:N0} events in {timed.TotalSeconds:F1} s = {rate:N0} events/s (accounts exist)");

        var copy = await CopyBaselineAsync(args.Get("pg"), timedRows);
        var copyRate = events / copy.TotalSeconds;
        Console.WriteLine($"COPY:    {events:N0} rows in {copy.TotalSeconds:F1} s = {copyRate:N0} rows/s");
        Console.WriteLine($"ratio:   ingest takes {timed.TotalSeconds / copy.TotalSeconds:F2}x the time of COPY");
        return 0;
    }

    private static List<byte[]> Build(EventGenerator generator, int count, int batch, out List<EventGenerator.Row> all, bool grouped = false)
    {
        all = new List<EventGenerator.Row>(count);
        for (var i = 0; i < count; i++) all.Add(generator.Next());
        var ordered = grouped ? [.. all.OrderBy(r => r.AccountId, StringComparer.Ordinal).ThenBy(r => r.Timestamp)] : all;
        var batches = new List<byte[]>();
        for (var done = 0; done < count; done += batch) batches.Add(EventGenerator.ToJson(ordered.GetRange(done, Math.Min(batch, count - done))));
        return batches;
    }

    private static async Task<TimeSpan> PostAllAsync(SignalsClient[] clients, List<byte[]> batches, int concurrency)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, batches.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, _) => await clients[i % clients.Length].PostEventsAsync(batches[i]));
        return clock.Elapsed;
    }

    /// <summary>
    /// The same rows, binary COPY into a table shaped like events was up to migration 0008 (same columns, primary key
    /// (workspace_id, event_id, occurred_at)), spelled out rather than <c>LIKE events</c>: from migration 0009 events has
    /// no primary key (idempotency moved to event_ids), and the baseline must stay the same for every commit compared.
    /// </summary>
    private static async Task<TimeSpan> CopyBaselineAsync(string connectionString, List<EventGenerator.Row> rows)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var setup = dataSource.CreateCommand("""
            DROP TABLE IF EXISTS bench_copy_events;
            CREATE TABLE bench_copy_events (
                workspace_id text NOT NULL, event_id text NOT NULL, account_id text NOT NULL, person_id text, event text NOT NULL,
                occurred_at timestamptz NOT NULL, received_at timestamptz NOT NULL DEFAULT now(), properties jsonb,
                PRIMARY KEY (workspace_id, event_id, occurred_at));
            """))
        {
            await setup.ExecuteNonQueryAsync();
        }
        var clock = Stopwatch.StartNew();
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY bench_copy_events (workspace_id, event_id, account_id, person_id, event, occurred_at, properties) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in rows)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync("ws_bench", NpgsqlDbType.Text);
                await importer.WriteAsync(r.EventId, NpgsqlDbType.Text);
                await importer.WriteAsync(r.AccountId, NpgsqlDbType.Text);
                await importer.WriteNullAsync();
                await importer.WriteAsync(r.Event, NpgsqlDbType.Text);
                await importer.WriteAsync(r.Timestamp, NpgsqlDbType.TimestampTz);
                await importer.WriteAsync($"{{\"seats\":{r.Seats}}}", NpgsqlDbType.Jsonb);
            }
            await importer.CompleteAsync();
        }
        var elapsed = clock.Elapsed;
        await using (var drop = dataSource.CreateCommand("DROP TABLE bench_copy_events")) await drop.ExecuteNonQueryAsync();
        return elapsed;
    }
}
