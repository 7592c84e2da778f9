using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OrleansSignals.FunctionalTests.Signals;
using OrleansSignals.Signals.Attio;
using OrleansSignals.Signals.Definitions;
using OrleansSignals.Signals.Delivery;
using OrleansSignals.Signals.Pipeline;
using OrleansSignals.Storage;

namespace OrleansSignals.Bench.Signals;

/// <summary>
/// The deliver step to an Attio list, against a local Attio (<see cref="FakeAttio"/>, Attio's documented calls, errors
/// and rate limit): how many requests each delivered occurrence costs, when every occurrence is its own company and
/// when several name the same company; then a run at Attio's rate (150 per minute) scaled to 15 per 6 s, to show the
/// client never goes over it and what 10,000 occurrences take at that rate.
/// </summary>
public static class AttioBenchmark
{
    private static readonly DateTimeOffset AsOf = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string server, BenchArgs args)
    {
        var occurrences = args.Int("occurrences", 1000);
        var companies = args.Int("companies", 300);
        var scaled = args.Int("scaled-occurrences", 100);

        await using (var fast = await FakeAttio.StartAsync(100_000, TimeSpan.FromMinutes(1)))
        await using (var bench = await StartAsync(server, "signals_bench_attio", fast, 100_000, TimeSpan.FromMinutes(1)))
        {
            await CaseAsync(bench, fast, "distinct companies", occurrences, occurrences, "account");
            await CaseAsync(bench, fast, "repeat companies", occurrences, companies, "person");
        }
        await using (var limited = await FakeAttio.StartAsync(15, TimeSpan.FromSeconds(6)))
        await using (var bench = await StartAsync(server, "signals_bench_attio_rate", limited, 15, TimeSpan.FromSeconds(6)))
        {
            var (requests, seconds) = await CaseAsync(bench, limited, "150/min scaled to 15 per 6 s", scaled, scaled, "account");
            var perMinute = requests / seconds * 60;
            Console.WriteLine($"RESULT at 15 per 6 s: {requests} requests in {seconds:F1} s = {requests / seconds * 6:F1} per 6 s " +
                              $"(the same rate as {perMinute:F0} per minute); most in any 6 s: {limited.MostInAnyWindow()}, refused with 429: {limited.OverLimit}");
            var perOccurrence = (double)requests / scaled;
            Console.WriteLine($"RESULT 10,000 occurrences of distinct companies at 150/min: {10_000 * perOccurrence:N0} requests, " +
                              $"{10_000 * perOccurrence / 150:F0} min by the limit; at the measured pace {10_000 * seconds / scaled / 60:F0} min");
        }
        return 0;
    }

    private static Task<BenchServices> StartAsync(string server, string database, FakeAttio attio, int limit, TimeSpan window) =>
        BenchServices.StartAsync(server, database, new Dictionary<string, string?>
        {
            ["Signals:Attio:BaseUrl"] = attio.BaseUrl,
            ["Signals:Attio:RateLimit"] = limit.ToString(CultureInfo.InvariantCulture),
            ["Signals:Attio:RateWindow"] = window.ToString("c", CultureInfo.InvariantCulture),
        });

    /// <summary>One workspace whose one definition matches <paramref name="occurrences"/> subjects over <paramref name="companies"/> accounts, delivered to an Attio list.</summary>
    private static async Task<(long Requests, double Seconds)> CaseAsync(BenchServices bench, FakeAttio attio, string name, int occurrences, int companies, string level)
    {
        var workspace = "ws_attio_" + Guid.NewGuid().ToString("N")[..10];
        await bench.ExecuteAsync("INSERT INTO workspaces (id, name) VALUES ($1, 'attio benchmark')", workspace);
        await bench.ExecuteAsync("""
            INSERT INTO accounts (workspace_id, account_id, etag, state, health_score, config_version, updated_at)
            SELECT $1, 'acct' || k, 1, json_build_object('traits', json_build_object('domain', 'company' || k || '.example')), 50, 1, now()
            FROM generate_series(0, $2 - 1) k
            """, workspace, companies);
        await bench.Get<PartitionManager>().EnsureAsync("events", [AsOf.AddHours(-1)], CancellationToken.None);
        // Subject i is account i % companies (and, person level, person i of it): one event each, within the window.
        await bench.ExecuteAsync("""
            INSERT INTO events (workspace_id, event_id, account_id, person_id, event, occurred_at, received_at)
            SELECT $1, 'e' || i, 'acct' || (i % $3), CASE WHEN $4 = 'person' THEN 'person' || i END, 'trial_started', $2::timestamptz - interval '1 hour', now()
            FROM generate_series(0, $5 - 1) i
            """, workspace, AsOf, companies, level, occurrences);
        await bench.Get<SignalDefinitionStore>().InsertAsync(workspace,
            new SignalDefinition("trial_started", "Trial started", "events", "trial_started", "gte", 1, 7, level, true, "customer"), CancellationToken.None);
        await bench.Get<IntegrationStore>().SetAsync(workspace, IntegrationStore.Attio,
            JsonSerializer.SerializeToElement(new { api_key = FakeAttio.Token }), CancellationToken.None);
        await bench.Get<DeliveryConfigStore>().InsertAsync(workspace, new DeliveryConfig(Guid.NewGuid(), "*", DestinationTypes.AttioList,
            JsonSerializer.SerializeToElement(new { list_id = "hot-" + workspace }), true), CancellationToken.None);

        var before = bench.Get<AttioClient>().RequestsSent;
        var run = (await bench.Get<PipelineRunStore>().CreateManualAsync(workspace, AsOf, CancellationToken.None))!;
        var watch = Stopwatch.StartNew();
        await bench.Get<PipelineRunner>().RunAsync(workspace, CancellationToken.None);
        var done = (await bench.Get<PipelineRunStore>().GetAsync(workspace, run.Id, CancellationToken.None))!;
        var deliver = done.Steps.Single(s => s.Step == PipelineWords.Deliver);
        var requests = bench.Get<AttioClient>().RequestsSent - before;
        var delivered = await bench.ScalarAsync<long>("SELECT count(*) FROM signal_deliveries WHERE run_id = $1 AND status = 'delivered'", run.Id);
        var inList = attio.Lists.TryGetValue("hot-" + workspace, out var entries) ? entries.Count : 0;
        if (done.Status != "completed" || delivered != occurrences || inList != companies)
            throw new InvalidOperationException($"{name}: run {done.Status}, {delivered} of {occurrences} delivered, {inList} of {companies} companies in the list");
        var seconds = deliver.DurationMs / 1000.0;
        Console.WriteLine($"RESULT {name}: {occurrences:N0} occurrences over {companies:N0} companies delivered with {requests:N0} requests " +
                          $"= {(double)requests / occurrences:F2} requests per occurrence; deliver step {seconds:F1} s (run {watch.Elapsed.TotalSeconds:F1} s)");
        return (requests, seconds);
    }
}
