using System.Diagnostics;
using System.Text.Json.Nodes;

namespace OrleansSignals.Bench.Exports;

/// <summary>Runs one export through the API and measures it: server time, wall time, and the host's peak RSS.</summary>
public sealed class ExportMeasurement(SignalsClient client, HostMemory memory, BenchArgs args)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task<RunResult> RunAsync(BenchCase benchCase, DateTimeOffset from, DateTimeOffset to)
    {
        var load = await LoadGate.WaitAsync(args.MaxLoad, args.MaxLoadWait);
        memory.ResetPeak();
        var wall = Stopwatch.StartNew();
        var created = await client.CreateExportAsync(benchCase.Source == "history"
            ? new { dataset = benchCase.Dataset, format = benchCase.Format, compression = benchCase.Compression, from, to }
            : new { dataset = benchCase.Dataset, format = benchCase.Format, compression = benchCase.Compression });
        var id = created["id"]!.GetValue<string>();
        JsonObject run;
        do
        {
            await Task.Delay(Poll);
            run = await client.GetExportAsync(id);
        }
        while (run["status"]!.GetValue<string>() is not ("completed" or "failed"));
        wall.Stop();
        var peak = memory.PeakBytes();
        if (run["status"]!.GetValue<string>() == "failed") throw new InvalidOperationException($"Export {id} failed: {run["error"]}");
        var seconds = (run["completed_at"]!.GetValue<DateTimeOffset>() - run["started_at"]!.GetValue<DateTimeOffset>()).TotalSeconds;
        var files = run["files"]!.AsArray();
        return new RunResult(id, run["rows"]!.GetValue<long>(), run["bytes"]!.GetValue<long>(), files.Count, seconds, wall.Elapsed.TotalSeconds, peak, load,
            [.. files.Select(f => f!["location"]!.GetValue<string>())]);
    }
}
