namespace OrleansSignals.Bench.Exports;

/// <summary>Command line of the exports benchmark (bench/exports.sh passes all of them).</summary>
public sealed record BenchArgs(
    string Url,
    string AdminToken,
    string Postgres,
    int HostPid,
    long HistoryRows,
    int Accounts,
    int Insights,
    int Runs,
    IReadOnlyList<BenchCase> Cases,
    string ToolsDirectory,
    string WorkDirectory,
    double MaxLoad,
    TimeSpan MaxLoadWait)
{
    public static BenchArgs Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Expected --name value, got '{args[i]}'");
            values[args[i][2..]] = args[i + 1];
        }
        string Get(string name, string? fallback = null) =>
            values.TryGetValue(name, out var value) ? value : fallback ?? throw new ArgumentException($"--{name} is required");
        return new BenchArgs(
            Get("url"), Get("admin-token"), Get("pg"), int.Parse(Get("host-pid")),
            long.Parse(Get("history-rows", "10000000")), int.Parse(Get("accounts", "100000")), int.Parse(Get("insights", "10")),
            int.Parse(Get("runs", "3")),
            [.. Get("cases", "history:csv:none,history:jsonl:none,history:parquet:none,snapshot:parquet:none").Split(',').Select(BenchCase.Parse)],
            Get("tools"), Get("work"),
            double.Parse(Get("max-load", "1.5"), System.Globalization.CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(int.Parse(Get("max-load-wait", "180"))));
    }
}
