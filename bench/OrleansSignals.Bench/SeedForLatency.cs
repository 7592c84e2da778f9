namespace OrleansSignals.Bench;

/// <summary>Creates a workspace with N accounts (one event each) for the wrk latency run, and prints its API key.</summary>
internal static class SeedForLatency
{
    public static async Task<int> RunAsync(string[] argv)
    {
        var args = new Args(argv);
        var accounts = args.Int("accounts", 100_000);
        var client = new SignalsClient(args.Get("url"));
        var key = await client.CreateWorkspaceAsync(args.Get("admin-token"), "latency");
        await client.DefineAsync(new { key = "power_user", kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = 3 });
        var now = DateTimeOffset.UtcNow;
        for (var start = 0; start < accounts; start += 10_000)
        {
            var rows = Enumerable.Range(start, Math.Min(10_000, accounts - start))
                .Select(i => new EventGenerator.Row($"seed-{i}", $"acct-{i:D6}", "login", now.AddMinutes(-i % 1000), 1 + i % 40)).ToList();
            await client.PostEventsAsync(EventGenerator.ToJson(rows));
        }
        Console.WriteLine(key);
        return 0;
    }
}
