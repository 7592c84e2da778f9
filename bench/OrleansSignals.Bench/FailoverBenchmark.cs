using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace OrleansSignals.Bench;

/// <summary>
/// How long a killed silo's accounts take to be served again by the survivor. Warms every account through both
/// hosts (their activations live on both silos), SIGKILLs the victim host, then sweeps every account through the
/// survivor, again and again, until each has answered 200. Reports when the last account was served, per-account
/// percentiles (time from the kill to its first 200), and how many answered anything else on the first sweep.
/// </summary>
internal static class FailoverBenchmark
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var args = new Args(argv);
        var accounts = args.Int("accounts", 100_000);
        var concurrency = args.Int("concurrency", 64);
        var victimPid = args.Int("victim-pid", 0);
        var survivor = new SignalsClient(args.Get("survivor"));
        var victim = new SignalsClient(args.Get("victim"));
        var key = args.Get("api-key");
        survivor.UseKey(key);
        victim.UseKey(key);
        survivor.Http.Timeout = TimeSpan.FromSeconds(60);
        var ids = Enumerable.Range(0, accounts).Select(i => $"acct-{i:D6}").ToArray();

        // Warm: every account read once through each host, so both silos hold activations.
        var warm = Stopwatch.StartNew();
        foreach (var host in new[] { victim, survivor })
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (id, ct) =>
            {
                using var response = await host.Http.GetAsync($"/api/accounts/{id}", ct);
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"warm-up GET {id}: {(int)response.StatusCode}");
            });
        Console.WriteLine($"warm: {accounts:N0} accounts read through both hosts in {warm.Elapsed.TotalSeconds:F1} s");

        Process.GetProcessById(victimPid).Kill();
        var sinceKill = Stopwatch.StartNew();
        var servedAt = new ConcurrentDictionary<string, double>();
        var statuses = new ConcurrentDictionary<string, int>();
        var firstSweepMisses = 0;
        var pending = ids;
        for (var sweep = 1; pending.Length > 0; sweep++)
        {
            if (sinceKill.Elapsed > TimeSpan.FromMinutes(5)) { Console.WriteLine($"gave up: {pending.Length:N0} accounts not served 5 min after the kill"); return 1; }
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (id, ct) =>
            {
                string outcome;
                try
                {
                    using var response = await survivor.Http.GetAsync($"/api/accounts/{id}", ct);
                    outcome = ((int)response.StatusCode).ToString();
                    if (response.StatusCode == HttpStatusCode.OK) servedAt[id] = sinceKill.Elapsed.TotalSeconds;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { outcome = e.GetType().Name; }
                statuses.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            });
            pending = [.. pending.Where(id => !servedAt.ContainsKey(id))];
            if (sweep == 1) firstSweepMisses = pending.Length;
        }
        var times = servedAt.Values.Order().ToArray();
        double At(double q) => times[Math.Min(times.Length - 1, (int)Math.Ceiling(q * times.Length) - 1)];
        Console.WriteLine($"failover: all {accounts:N0} accounts served {times[^1]:F1} s after the kill; per account p50 {At(0.50):F1} s, p99 {At(0.99):F1} s, max {times[^1]:F1} s");
        Console.WriteLine($"first sweep: {firstSweepMisses:N0} accounts not served; answers: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} x{s.Value:N0}"))}");
        return 0;
    }
}
