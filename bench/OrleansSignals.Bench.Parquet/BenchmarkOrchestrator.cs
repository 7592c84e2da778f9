using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Bench.Parquet;

/// <summary>
/// Runs each (writer, codec) <see cref="BenchOptions.Runs"/> times, each in a fresh process so
/// peak memory is per run, checks both writers wrote the same data, and reports medians.
/// </summary>
internal static class BenchmarkOrchestrator
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var tools = Path.Combine(FindRepositoryRoot(), "tests", "tools");
        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Rows: {options.Rows:N0}; runs per cell: {options.Runs} (medians)")
            .AppendLine()
            .AppendLine("| writer | codec | rows/s | MB/s (file) | file MB | peak working set MB | wall s | managed alloc MB |")
            .AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        var notes = new StringBuilder();

        foreach (var codec in options.Codecs)
        {
            var name = BenchOptions.Name(codec);
            var ours = Path.Combine(options.OutputDirectory, $"ours-{name}.parquet");
            var oursRuns = await RepeatAsync(options.Runs, () => RunOursAsync(options, codec, ours));
            AppendRow(report, "OrleansSignals.Exports", name, oursRuns);
            if (!(options.DuckDbCodecs ?? options.Codecs).Contains(codec))
            {
                File.Delete(ours);
                continue;
            }

            var duckDbCodec = codec == ParquetCompression.None ? "uncompressed" : name;
            var theirs = Path.Combine(options.OutputDirectory, $"duckdb-{name}.parquet");
            var duckRuns = await RepeatAsync(options.Runs, () => RunNodeAsync(tools, "copy", duckDbCodec, options.Rows.ToString(CultureInfo.InvariantCulture), theirs));
            AppendRow(report, "DuckDB 1.5.6 COPY", name, duckRuns);

            var same = await RunNodeRawAsync(tools, "fingerprint", ours) == await RunNodeRawAsync(tools, "fingerprint", theirs);
            notes.AppendLine(CultureInfo.InvariantCulture,
                $"- {name}: DuckDB/ours wall-time ratio {Median(duckRuns, r => r.Seconds) / Median(oursRuns, r => r.Seconds):F2}; " +
                $"same data (DuckDB fingerprint of every column but the random ids): {(same ? "yes" : "NO")}");
            File.Delete(theirs);
            File.Delete(ours);
        }

        var text = report.AppendLine().Append(notes).ToString();
        Console.Write(text);
        if (options.MarkdownFile is { } markdown)
        {
            await File.WriteAllTextAsync(markdown, text);
        }

        return 0;
    }

    private static async Task<List<RunResult>> RepeatAsync(int runs, Func<Task<RunResult>> run)
    {
        var results = new List<RunResult>();
        for (var i = 0; i < runs; i++)
        {
            var result = await run();
            Console.Error.WriteLine($"  {JsonSerializer.Serialize(result)}");
            results.Add(result);
        }

        return results;
    }

    private static Task<RunResult> RunOursAsync(BenchOptions options, ParquetCompression codec, string file)
    {
        // Re-run this program as a child: under `dotnet x.dll` the host is dotnet, so pass the dll.
        var self = Environment.ProcessPath!;
        List<string> arguments = Path.GetFileNameWithoutExtension(self) == "dotnet" ? [typeof(BenchmarkOrchestrator).Assembly.Location] : [];
        arguments.AddRange(["--child", "--codec", BenchOptions.Name(codec), "--rows", options.Rows.ToString(CultureInfo.InvariantCulture), "--file", file]);
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

    private static void AppendRow(StringBuilder report, string writer, string codec, List<RunResult> runs)
    {
        const double MB = 1024 * 1024;
        var seconds = Median(runs, r => r.Seconds);
        var fileBytes = Median(runs, r => r.FileBytes);
        report.AppendLine(CultureInfo.InvariantCulture,
            $"| {writer} | {codec} | {runs[0].Rows / seconds:N0} | {fileBytes / MB / seconds:F1} | {fileBytes / MB:F1} | " +
            $"{Median(runs, r => r.PeakWorkingSetBytes) / MB:F0} | {seconds:F2} | {Median(runs, r => r.AllocatedBytes) / MB:F1} |");
    }

    private static double Median(List<RunResult> runs, Func<RunResult, double> value)
    {
        var sorted = runs.Select(value).Order().ToArray();
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
