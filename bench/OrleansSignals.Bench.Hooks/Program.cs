using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

// Hook delivery benchmarks against a running host (started with Signals__Hooks__AllowPrivateNetworks=true).
// Transitions are written to history + outbox the way account turns commit them; a Kestrel receiver in this
// process records when each webhook-id first arrives. See docs/benchmarks.md, "Hooks".
//   latency:    --rate events/s for --seconds, spread over --endpoints endpoints (accounts filter: one per endpoint)
//   throughput: --bulk N transitions in one transaction, time until all N are delivered
var options = Args(args);
var url = options["url"];
var pg = options["pg"];
var rate = int.Parse(options.GetValueOrDefault("rate", "1000"));
var seconds = int.Parse(options.GetValueOrDefault("seconds", "20"));
var endpoints = int.Parse(options.GetValueOrDefault("endpoints", "10"));
var bulk = int.Parse(options.GetValueOrDefault("bulk", "50000"));

var arrivals = new ConcurrentDictionary<Guid, DateTimeOffset>();
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
var receiver = builder.Build();
receiver.Run(http =>
{
    var at = DateTimeOffset.UtcNow;
    arrivals.TryAdd(Guid.Parse(http.Request.Headers["webhook-id"].ToString()), at);
    return Task.CompletedTask;
});
await receiver.StartAsync();
var receiverUrl = receiver.Urls.First();

using var admin = new HttpClient { BaseAddress = new Uri(url) };
admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options["admin-token"]);
var workspace = await (await admin.PostAsJsonAsync("/api/workspaces", new { name = "hooks-bench" })).Content.ReadFromJsonAsync<JsonElement>();
var workspaceId = workspace.GetProperty("id").GetString()!;
using var client = new HttpClient { BaseAddress = new Uri(url) };
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", workspace.GetProperty("api_key").GetString());
for (var i = 0; i < endpoints; i++)
{
    var response = await client.PostAsJsonAsync("/api/webhooks", new { url = $"{receiverUrl}/e{i}", event_types = new[] { "lifecycle.event" }, filters = new { accounts = new[] { $"acc-{i}" } } });
    response.EnsureSuccessStatusCode();
}

// One real transition through the API, so this month's history partition exists before writing directly.
(await client.PutAsJsonAsync("/api/lifecycle-events", new[] { "upgraded" })).EnsureSuccessStatusCode();
(await client.PostAsJsonAsync("/api/events", new[] { new { event_id = "warm", account_id = "warm", @event = "upgraded", timestamp = DateTimeOffset.UtcNow } })).EnsureSuccessStatusCode();
await using var dataSource = NpgsqlDataSource.Create(pg);

// Latency: batches every 10 ms.
var written = new ConcurrentDictionary<Guid, DateTimeOffset>();
var clock = Stopwatch.StartNew();
var total = rate * seconds;
var sent = 0;
while (sent < total)
{
    var due = (int)Math.Min(total, clock.Elapsed.TotalSeconds * rate);
    if (due > sent)
    {
        foreach (var (id, at) in await WriteAsync(dataSource, workspaceId, sent, due - sent, endpoints)) written[id] = at;
        sent = due;
    }
    await Task.Delay(5);
}
await WaitAsync(() => written.Keys.All(arrivals.ContainsKey), TimeSpan.FromSeconds(60));
var latencies = written.Where(w => arrivals.ContainsKey(w.Key)).Select(w => (arrivals[w.Key] - w.Value).TotalMilliseconds).Order().ToArray();
Console.WriteLine($"latency: {latencies.Length}/{total} delivered at {rate}/s over {endpoints} endpoints; " +
                  $"p50 {Percentile(latencies, 0.50):F1} ms, p90 {Percentile(latencies, 0.90):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {latencies[^1]:F1} ms");

// Throughput: one transaction of `bulk` transitions, timed from commit to the last arrival.
arrivals.Clear();
var bulkIds = await WriteAsync(dataSource, workspaceId, total, bulk, endpoints);
var committed = DateTimeOffset.UtcNow;
await WaitAsync(() => arrivals.Count >= bulk, TimeSpan.FromMinutes(5));
var last = arrivals.Values.Max();
Console.WriteLine($"throughput: {arrivals.Count}/{bulk} delivered in {(last - committed).TotalSeconds:F2} s = {arrivals.Count / (last - committed).TotalSeconds:F0} deliveries/s");
await receiver.StopAsync();
return 0;

static async Task<List<(Guid, DateTimeOffset)>> WriteAsync(NpgsqlDataSource dataSource, string workspace, int from, int count, int endpoints)
{
    var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray();
    await using var command = dataSource.CreateCommand("""
        WITH h AS (
            INSERT INTO history (id, workspace_id, account_id, occurred_at, type, key, old_value, new_value, health_score)
            SELECT u.id, $2, u.acc, now(), 'lifecycle.event', 'upgraded', NULL, to_jsonb(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), 50
            FROM unnest($1::uuid[], $3::text[]) AS u(id, acc)
            RETURNING id, workspace_id, account_id, type, occurred_at)
        INSERT INTO outbox (transition_id, workspace_id, account_id, type, occurred_at)
        SELECT id, workspace_id, account_id, type, occurred_at FROM h
        RETURNING transition_id, created_at
        """);
    command.Parameters.Add(new() { Value = ids });
    command.Parameters.Add(new() { Value = workspace });
    command.Parameters.Add(new() { Value = Enumerable.Range(from, count).Select(i => $"acc-{i % endpoints}").ToArray() });
    var rows = new List<(Guid, DateTimeOffset)>();
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync()) rows.Add((reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)));
    return rows;
}

static async Task WaitAsync(Func<bool> condition, TimeSpan timeout)
{
    var deadline = DateTime.UtcNow + timeout;
    while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(50);
}

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static Dictionary<string, string> Args(string[] args)
{
    var map = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2) map[args[i].TrimStart('-')] = args[i + 1];
    foreach (var required in new[] { "url", "admin-token", "pg" })
        if (!map.ContainsKey(required)) throw new ArgumentException($"usage: OrleansSignals.Bench.Hooks --url URL --admin-token T --pg CONNSTR [--rate 1000] [--seconds 20] [--endpoints 10] [--bulk 50000]");
    return map;
}
