using System.Diagnostics;
using System.Globalization;
using OrleansSignals.Signals.Definitions;
using OrleansSignals.Signals.Pipeline;
using OrleansSignals.Signals.Scoring;
using OrleansSignals.Storage;

namespace OrleansSignals.Bench.Signals;

/// <summary>
/// Evaluate + score of 20 definitions over one workspace's events, through <see cref="PipelineRunner"/> (the code a
/// silo runs). Each timed run is a first run on the same data: before it, the occurrences are emptied and the workspace's runs (their
/// steps, definition outcomes and aggregates) and promotions deleted and the candidates made inactive again, so no
/// run is shortened by an earlier run's dedup or changed by its promotions.
/// </summary>
public static class PipelineBenchmark
{
    private const string Workspace = "ws_bench_signals";

    /// <summary>The runs' cutoff: events cover the days before it.</summary>
    private static readonly DateTimeOffset AsOf = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string server, BenchArgs args)
    {
        var events = args.Int("events", 10_000_000);
        var accounts = args.Int("accounts", 100_000);
        var personsPerAccount = args.Int("persons-per-account", 10);
        var days = args.Int("days", 90);
        var runs = args.Int("runs", 3);
        await using var bench = await BenchServices.StartAsync(server, "signals_bench", new Dictionary<string, string?>(), keep: args.Flag("keep-data"));
        if (await bench.ScalarAsync<long>("SELECT count(*) FROM workspaces WHERE id = $1", Workspace) == 0)
            await SeedAsync(bench, events, accounts, personsPerAccount, days);
        else
            Console.WriteLine($"reusing the data in database {bench.Database}");
        Console.WriteLine($"data: {await bench.ScalarAsync<long>("SELECT count(*) FROM events WHERE workspace_id = $1", Workspace):N0} events, " +
                          $"{await bench.ScalarAsync<long>("SELECT count(*) FROM accounts WHERE workspace_id = $1", Workspace):N0} accounts, " +
                          $"events table {await bench.ScalarAsync<string>("SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'events'::regclass")} with its indexes");

        var results = new List<(double Evaluate, double Score, double Wall)>();
        for (var r = 1; r <= runs; r++)
        {
            await ResetAsync(bench);
            var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            var run = await bench.Get<PipelineRunStore>().CreateManualAsync(Workspace, AsOf, CancellationToken.None)
                ?? throw new InvalidOperationException("a run of the workspace is already pending");
            var watch = Stopwatch.StartNew();
            await bench.Get<PipelineRunner>().RunAsync(Workspace, CancellationToken.None);
            var wall = watch.Elapsed.TotalSeconds;
            var done = await bench.Get<PipelineRunStore>().GetAsync(Workspace, run.Id, CancellationToken.None);
            if (done!.Status != "completed") throw new InvalidOperationException($"run {run.Id} is {done.Status}: {done.Error}");
            var evaluate = done.Steps.Single(s => s.Step == PipelineWords.Evaluate);
            var score = done.Steps.Single(s => s.Step == PipelineWords.Score);
            results.Add((evaluate.DurationMs / 1000.0, score.DurationMs / 1000.0, wall));
            Console.WriteLine($"run {r} (load {load}): evaluate {evaluate.DurationMs / 1000.0:F1} s {Counts(evaluate.Counts)}, " +
                              $"score {score.DurationMs / 1000.0:F1} s {Counts(score.Counts)}, evaluate + score {(evaluate.DurationMs + score.DurationMs) / 1000.0:F1} s, whole run {wall:F1} s");
            foreach (var d in done.Definitions)
                Console.WriteLine($"  evaluate {d.Type,-24} {d.DurationMs,7:N0} ms  matched {d.Matched,8:N0}  stored {d.Stored,8:N0}{(d.Error is null ? "" : "  ERROR " + d.Error)}");
            foreach (var a in await bench.Get<ScoringStore>().LatestAsync(Workspace, null, CancellationToken.None))
                Console.WriteLine($"  score    {a.Type,-24} matched {a.Matched,8:N0}  converted {a.MatchedConverted,6}  rest {a.Rest,8}  " +
                                  $"lift {a.Lift?.ToString("F2", CultureInfo.InvariantCulture) ?? "-"}  p {a.PValue?.ToString("G3", CultureInfo.InvariantCulture) ?? "-"}" +
                                  $"{(a.Promoted ? "  PROMOTED" : "")}{(a.Error is null ? "" : "  ERROR " + a.Error)}");
        }
        static double Median(IEnumerable<double> v) => v.Order().ElementAt(v.Count() / 2);
        Console.WriteLine($"RESULT evaluate median {Median(results.Select(x => x.Evaluate)):F1} s, score median {Median(results.Select(x => x.Score)):F1} s, " +
                          $"evaluate + score median {Median(results.Select(x => x.Evaluate + x.Score)):F1} s " +
                          $"(runs: {string.Join(", ", results.Select(x => (x.Evaluate + x.Score).ToString("F1", CultureInfo.InvariantCulture)))} s), whole run median {Median(results.Select(x => x.Wall)):F1} s");
        return 0;
    }

    private static string Counts(IReadOnlyDictionary<string, long> counts) => "(" + string.Join(", ", counts.Select(c => $"{c.Key} {c.Value:N0}")) + ")";

    private static async Task ResetAsync(BenchServices bench)
    {
        await bench.ExecuteAsync("DELETE FROM pipeline_runs WHERE workspace_id = $1", Workspace);
        // Emptied, not deleted from: a million rows deleted and inserted again per run bloat the table and its
        // indexes (710 MB after six runs, against 265 MB fresh), which slows the next run's inserts. The database
        // is the benchmark's own: this workspace is the only one in it.
        await bench.ExecuteAsync("TRUNCATE signals CASCADE");
        await bench.ExecuteAsync("DELETE FROM signal_promotions WHERE workspace_id = $1", Workspace);
        await bench.ExecuteAsync("UPDATE signal_definitions SET is_active = false WHERE workspace_id = $1 AND origin = 'agent'", Workspace);
    }

    private static async Task SeedAsync(BenchServices bench, int events, int accounts, int personsPerAccount, int days)
    {
        await bench.ExecuteAsync("INSERT INTO workspaces (id, name) VALUES ($1, 'signal pipeline benchmark')", Workspace);
        await bench.ExecuteAsync("""
            INSERT INTO accounts (workspace_id, account_id, etag, state, health_score, config_version, updated_at)
            SELECT $1, 'acct' || lpad(k::text, 6, '0'), 1, json_build_object('traits', json_build_object('domain', 'acct' || k || '.example')), 50, 1, now()
            FROM generate_series(0, $2 - 1) k
            """, Workspace, accounts);
        var seconds = await EventLoader.LoadAsync(bench.Data, bench.Get<PartitionManager>(), Workspace, AsOf, days, events, accounts, personsPerAccount);
        Console.WriteLine($"loaded {events:N0} events by binary COPY in {seconds:F1} s ({events / seconds:N0} rows/s, the events table's indexes in place)");
        // Insight triggers of the last 30 days (the insight-source definitions read them), skewed like the events.
        await bench.Get<PartitionManager>().EnsureAsync("history", Enumerable.Range(0, 31).Select(d => AsOf.AddDays(-d)), CancellationToken.None);
        await bench.ExecuteAsync("""
            INSERT INTO history (id, workspace_id, account_id, occurred_at, type, key, recorded_at)
            SELECT gen_random_uuid(), $1, 'acct' || lpad(floor($3 * random() ^ 3)::int::text, 6, '0'), t, 'insight.triggered',
                   (ARRAY['power_user', 'at_risk', 'inactive', 'expansion'])[1 + g % 4], t
            FROM (SELECT g, $2::timestamptz - random() * interval '30 days' AS t FROM generate_series(1, 200000) g) x
            """, Workspace, AsOf, accounts);
        var watch = Stopwatch.StartNew();
        await bench.ExecuteAsync("VACUUM ANALYZE events");
        await bench.ExecuteAsync("VACUUM ANALYZE history");
        await bench.ExecuteAsync("VACUUM ANALYZE accounts");
        Console.WriteLine($"VACUUM ANALYZE (what autovacuum would have done over 90 days) in {watch.Elapsed.TotalSeconds:F1} s");
        foreach (var d in Workload.Definitions)
            await bench.Get<SignalDefinitionStore>().InsertAsync(Workspace, d, CancellationToken.None);
        await bench.Get<ScoringStore>().SetAsync(Workspace, new ScoringSettings(Workload.OutcomeEvent, null, 30, 30), CancellationToken.None);
    }
}
