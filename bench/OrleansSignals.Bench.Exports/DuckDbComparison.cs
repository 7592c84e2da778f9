using System.Diagnostics;
using System.Text.Json.Nodes;

namespace OrleansSignals.Bench.Exports;

/// <summary>
/// DuckDB writing the same rows to Parquet: tests/tools/duckdb-bench.mjs loads our CSV export of the
/// rows into an in-memory table (not timed), then times <c>COPY table TO parquet</c>.
/// </summary>
public static class DuckDbComparison
{
    public sealed record Result(long Rows, double LoadSeconds, double CopySeconds, long FileBytes, long PeakBytes, double Load);

    public static async Task<Result> RunAsync(BenchArgs args, IReadOnlyList<string> csvFiles, string codec)
    {
        var load = await LoadGate.WaitAsync(args.MaxLoad, args.MaxLoadWait);
        var output = Path.Combine(args.WorkDirectory, $"duckdb-{Guid.NewGuid():N}.parquet");
        var start = new ProcessStartInfo("node", [Path.Combine(args.ToolsDirectory, "duckdb-bench.mjs"), "copy-csv", codec, output, .. csvFiles])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = args.ToolsDirectory,
        };
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(output);
        if (process.ExitCode != 0) throw new InvalidOperationException($"duckdb-bench.mjs copy-csv exited {process.ExitCode}: {stderr}");
        var json = JsonNode.Parse(stdout)!;
        return new Result(json["Rows"]!.GetValue<long>(), json["LoadSeconds"]!.GetValue<double>(), json["Seconds"]!.GetValue<double>(),
            json["FileBytes"]!.GetValue<long>(), json["PeakWorkingSetBytes"]!.GetValue<long>(), load);
    }
}
