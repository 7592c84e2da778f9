using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansSignals.Exports.Formats;

namespace OrleansSignals.Bench.Parquet;

/// <summary>
/// Runs each (writer, codec) <see cref="BenchOptions.Runs"/> times, each in a fresh process so
/// peak memory is per run, writers taking turns so that a change in the machine's load hits them
/// alike; checks every writer wrote the same data, and reports medians.
/// </summary>
internal static class BenchmarkOrchestrator
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var tools = Path.Combine(FindRepositoryRoot(), "tests", "tools");
        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Rows: {options.Rows:N0}; runs per cell: {options.Runs}, DuckDB {options.DuckDbRuns ?? options.Runs} (medians; writers interleaved run by run)")
            .AppendLine()
            .AppendLine("| writer | codec | rows/s | file MB | peak RSS MB | wall s | CPU s | managed alloc MB | 1-min load at start |")
            .AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var notes = new StringBuilder();

        foreach (var codec in options.Codecs)
        {
            var name = BenchOptions.Name(codec);
            var writers = options.Writers.Where(w => w switch
            {
                BenchWriter.DuckDb => (options.DuckDbCodecs ?? options.Codecs).Contains(codec),
                _ => true,
            }).ToList();
            var files = writers.ToDictionary(w => w, w => Path.Combine(options.OutputDirectory, $"{BenchOptions.Name(w)}-{name}.parquet"));
            var runs = writers.ToDictionary(w => w, _ => new List<(RunResult Result, double Load)>());
            for (var run = 0; run < options.Runs; run++)
            {
                foreach (var writer in writers.Where(w => w != BenchWriter.DuckDb || run < (options.DuckDbRuns ?? options.Runs)))
                {
                    var load = LoadAverage();
                    var result = writer == BenchWriter.DuckDb
                        ? await RunNodeAsync(tools, "copy", codec == ExportCompression.None ? "uncompressed" : name, options.Rows.ToString(CultureInfo.InvariantCulture), files[writer])
                        : await RunChildAsync(options, writer, codec, files[writer]);
                    Console.Error.WriteLine($"  {BenchOptions.Name(writer)} {name} load {load:F2}: {JsonSerializer.Serialize(result)}");
                    runs[writer].Add((result, load));
                }
            }

            foreach (var writer in writers)
            {
                AppendRow(report, writer, name, runs[writer]);
            }

            var fingerprints = new Dictionary<BenchWriter, string>();
            foreach (var writer in writers)
            {
                fingerprints[writer] = await RunNodeRawAsync(tools, "fingerprint", files[writer]);
                File.Delete(files[writer]);
            }

            var same = fingerprints.Values.Distinct().Count() == 1;
            notes.AppendLine(CultureInfo.InvariantCulture,
                $"- {name}: same data in every writer's file (DuckDB fingerprint of every column but the random ids): {(same ? "yes" : "NO")}");
            if (runs.TryGetValue(BenchWriter.ParquetNet, out var net))
            {
                foreach (var other in writers.Where(w => w != BenchWriter.ParquetNet))
                {
                    notes.AppendLine(CultureInfo.InvariantCulture,
                        $"  - Parquet.Net / {BenchOptions.Name(other)}: wall time {Median(net, r => r.Seconds) / Median(runs[other], r => r.Seconds):F2}x, " +
                        $"CPU time {Median(net, r => r.CpuSeconds) / Median(runs[other], r => r.CpuSeconds):F2}x, " +
                        $"file size {Median(net, r => r.FileBytes) / Median(runs[other], r => r.FileBytes):F2}x, " +
                        $"peak RSS {Median(net, r => r.PeakWorkingSetBytes) / Median(runs[other], r => r.PeakWorkingSetBytes):F2}x");
                }
            }
        }

        var text = report.AppendLine().Append(notes).ToString();
        Console.Write(text);
        if (options.MarkdownFile is { } markdown)
        {
            await File.WriteAllTextAsync(markdown, text);
        }

        return 0;
    }

    /// <summary>The 1-minute load average: the machine is shared, so every run records how busy it was.</summary>
    private static double LoadAverage() =>
        File.Exists("/proc/loadavg")
            ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture)
            : double.NaN;

    private static Task<RunResult> RunChildAsync(BenchOptions options, BenchWriter writer, ExportCompression codec, string file)
    {
        // Re-run this program as a child: under `dotnet x.dll` the host is dotnet, so pass the dll.
        var self = Environment.ProcessPath!;
        List<string> arguments = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(BenchmarkOrchestrator).Assembly.Location] : [];
        arguments.AddRange(["--child", "--writer", BenchOptions.Name(writer), "--codec", BenchOptions.Name(codec),
            "--rows", options.Rows.ToString(CultureInfo.InvariantCulture), "--file", file]);
        return RunJsonAsync(self, Environment.CurrentDirectory, arguments);
    }

    private static Task<RunResult> RunNodeAsync(string tools, params string[] arguments) =>
        RunJsonAsync("node", tools, [Path.Combine(tools, "duckdb-bench.mjs"), .. arguments]);

    private static async Task<string> RunNodeRawAsync(string tools, params string[] arguments) =>
        await RunAsync("node", tools, [Path.Combine(tools, "duckdb-bench.mjs"), .. arguments]);

    private static async Task<RunResult> RunJsonAsync(string fileName, string workingDirectory, IEnumerable<string> arguments) =>
        JsonSerializer.Deserialize<RunResult>(await RunAsync(fileName, workingDirectory, arguments))
            ?? throw new InvalidOperationException($"{fileName} printed no result.");

    private static async Task<string> RunAsync(string fileName, string workingDirectory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? output.Trim()
            : throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}.");
    }

    private static void AppendRow(StringBuilder report, BenchWriter writer, string codec, List<(RunResult Result, double Load)> runs)
    {
        const double MB = 1024 * 1024;
        var seconds = Median(runs, r => r.Seconds);
        var label = writer switch
        {
            BenchWriter.Ours => "ours (Exports/Parquet)",
            BenchWriter.ParquetNet => "Parquet.Net 6.1.0",
            _ => "DuckDB 1.5.6 COPY",
        };
        var allocated = writer == BenchWriter.DuckDb ? "n/a" : (Median(runs, r => r.AllocatedBytes) / MB).ToString("F0", CultureInfo.InvariantCulture);
        var loads = runs.Select(r => r.Load).Order().ToArray();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {label} | {codec} | {runs[0].Result.Rows / seconds:N0} | {Median(runs, r => r.FileBytes) / MB:F1} | " +
            $"{Median(runs, r => r.PeakWorkingSetBytes) / MB:F0} | {seconds:F2} | {Median(runs, r => r.CpuSeconds):F2} | {allocated} | {loads[loads.Length / 2]:F1} ({loads[0]:F1}-{loads[^1]:F1}) |");
    }

    private static double Median(List<(RunResult Result, double Load)> runs, Func<RunResult, double> value)
    {
        var sorted = runs.Select(r => value(r.Result)).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OrleansSignals.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Run the benchmark from inside the repository.");
    }
}
