using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Storage;

namespace OrleansSignals.Bench.Signals;

/// <summary>
/// Loads one workspace's events the way the journal stores them (each account's events numbered by position), by
/// binary COPY, in time order as a live stream would arrive. Skewed like product usage: an account's share of events
/// falls off as a power law (the busiest 1% of accounts send ~22%, the busiest 10% ~46%, the quietest still a few a
/// month), persons within an account likewise, one event in ten has no person (server-side events), and event names
/// follow fixed weights from page views (35%) to the rare outcome event <c>upgraded</c> (0.3%).
/// </summary>
public static class EventLoader
{
    public static readonly (string Name, double Weight)[] Names =
    [
        ("page_view", 35), ("feature_used", 20), ("login", 10), ("search", 8), ("api_call", 6), ("export", 5), ("report_viewed", 5),
        ("invite_sent", 3), ("comment_added", 2), ("dashboard_created", 2), ("billing_viewed", 1.5), ("support_ticket", 1.2),
        ("integration_connected", 1), ("upgraded", 0.3),
    ];

    public static string Account(int k) => $"acct{k:D6}";

    public static async Task<double> LoadAsync(
        NpgsqlDataSource data, PartitionManager partitions, string workspaceId, DateTimeOffset end, int days, long events, int accounts, int personsPerAccount)
    {
        var start = end.AddDays(-days);
        await partitions.EnsureAsync("events", Enumerable.Range(0, days + 1).Select(d => start.AddDays(d)), CancellationToken.None);
        var cumulative = new double[Names.Length];
        var total = Names.Sum(n => n.Weight);
        var running = 0.0;
        for (var i = 0; i < Names.Length; i++) cumulative[i] = (running += Names[i].Weight) / total;
        var positions = new long[accounts];
        var random = new Random(42);
        var span = (end - start).Ticks;
        var watch = Stopwatch.StartNew();
        await using var connection = await data.OpenConnectionAsync();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY events (workspace_id, event_id, account_id, person_id, event, occurred_at, received_at, properties, position, turn) FROM STDIN (FORMAT BINARY)"))
        {
            for (long i = 0; i < events; i++)
            {
                var at = start.AddTicks((long)((i + random.NextDouble()) / events * span));
                var k = (int)(accounts * Math.Pow(random.NextDouble(), 3));
                var found = Array.BinarySearch(cumulative, random.NextDouble());
                var name = Names[Math.Min(found < 0 ? ~found : found, Names.Length - 1)].Name;
                string? person = random.Next(10) == 0 ? null : $"p{k:D6}_{(int)(personsPerAccount * Math.Pow(random.NextDouble(), 2))}";
                var position = ++positions[k];
                await copy.StartRowAsync();
                await copy.WriteAsync(workspaceId, NpgsqlDbType.Text);
                await copy.WriteAsync($"e{i}", NpgsqlDbType.Text);
                await copy.WriteAsync(Account(k), NpgsqlDbType.Text);
                if (person is null) await copy.WriteNullAsync(); else await copy.WriteAsync(person, NpgsqlDbType.Text);
                await copy.WriteAsync(name, NpgsqlDbType.Text);
                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                if (i % 2 == 0) await copy.WriteNullAsync(); else await copy.WriteAsync($$"""{"plan": "pro", "value": {{i % 1000}}}""", NpgsqlDbType.Jsonb);
                await copy.WriteAsync(position, NpgsqlDbType.Bigint);
                await copy.WriteAsync(position, NpgsqlDbType.Bigint);
            }
            await copy.CompleteAsync();
        }
        return watch.Elapsed.TotalSeconds;
    }
}
