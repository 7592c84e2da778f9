using Npgsql;
using OrleansSignals.Bench.Exports;

// bench/exports.sh runs this against its own PostgreSQL and Release host; see docs/benchmarks.md, "Exports".
var options = BenchArgs.Parse(args);
Directory.CreateDirectory(options.WorkDirectory);
var (client, workspace) = await SignalsClient.CreateWorkspaceAsync(options.Url, options.AdminToken, "Exports benchmark");
string[] insights = [.. Enumerable.Range(0, options.Insights).Select(i => $"insight_{i}")];
for (var i = 0; i < insights.Length; i++) await client.DefineInsightAsync(insights[i], i + 2);

var start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-30);
await using (var dataSource = NpgsqlDataSource.Create(options.Postgres))
{
    var seeder = new Seeder(dataSource);
    Console.Error.WriteLine($"seeding {options.HistoryRows:N0} history rows and {options.Accounts:N0} accounts x {insights.Length} insights");
    await seeder.HistoryAsync(workspace, start, options.HistoryRows, options.Accounts, insights);
    await seeder.AccountsAsync(workspace, options.Accounts, insights, start);
}

var measurement = new ExportMeasurement(client, new HostMemory(options.HostPid), options);
var results = new Dictionary<BenchCase, List<RunResult>>();
RunResult? keptCsv = null;
foreach (var benchCase in options.Cases)
{
    results[benchCase] = [];
    for (var run = 1; run <= options.Runs; run++)
    {
        var result = await measurement.RunAsync(benchCase, start, start.AddDays(31));
        results[benchCase].Add(result);
        Console.Error.WriteLine(
            $"{benchCase} run {run}: {result.Rows:N0} rows, {result.Bytes / 1e6:N1} MB in {result.Files} files, {result.Seconds:N2} s " +
            $"(wall {result.WallSeconds:N2} s), {result.RowsPerSecond:N0} rows/s, {result.MegabytesPerSecond:N1} MB/s, " +
            $"host peak RSS {result.PeakBytes / 1048576.0:N0} MiB, load {result.Load:N2}");
        // One CSV export of the history stays, for DuckDB to load; the rest would fill the disk.
        if (benchCase is { Source: "history", Format: "csv", Compression: "none" } && keptCsv is null) keptCsv = result;
        else await client.DeleteExportAsync(result.Id);
    }
}

var duckDb = new List<DuckDbComparison.Result>();
if (keptCsv is not null)
{
    for (var run = 1; run <= options.Runs; run++)
    {
        var result = await DuckDbComparison.RunAsync(options, keptCsv.Locations, "uncompressed");
        duckDb.Add(result);
        Console.Error.WriteLine($"duckdb run {run}: {result.Rows:N0} rows, COPY to Parquet {result.CopySeconds:N2} s ({result.FileBytes / 1e6:N1} MB), " +
            $"CSV load {result.LoadSeconds:N2} s, peak RSS {result.PeakBytes / 1048576.0:N0} MiB, load {result.Load:N2}");
    }
    await client.DeleteExportAsync(keptCsv.Id);
}

Report.Print(results, duckDb);
