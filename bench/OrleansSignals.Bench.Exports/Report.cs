using System.Globalization;

namespace OrleansSignals.Bench.Exports;

/// <summary>The medians, as the markdown table docs/benchmarks.md records.</summary>
public static class Report
{
    public static void Print(IReadOnlyDictionary<BenchCase, List<RunResult>> results, IReadOnlyList<DuckDbComparison.Result> duckDb)
    {
        var culture = CultureInfo.InvariantCulture;
        Console.WriteLine("| dataset | format/compression | rows | output | median time | rows/s | MB/s | host peak RSS | loads at start |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var (benchCase, runs) in results)
        {
            var seconds = Median(runs.Select(r => r.Seconds));
            var rows = runs[0].Rows;
            var bytes = Median(runs.Select(r => (double)r.Bytes));
            Console.WriteLine(string.Create(culture,
                $"| {benchCase.Dataset} | {benchCase.Format}/{benchCase.Compression} | {rows:N0} | {bytes / 1e6:N0} MB ({runs[0].Files} files) | {seconds:N2} s | " +
                $"{rows / seconds:N0} | {bytes / 1e6 / seconds:N1} | {Median(runs.Select(r => (double)r.PeakBytes)) / 1048576:N0} MiB | " +
                $"{string.Join(", ", runs.Select(r => r.Load.ToString("0.00", culture)))} |"));
        }
        if (duckDb.Count == 0) return;
        var duckSeconds = Median(duckDb.Select(d => d.CopySeconds));
        Console.WriteLine();
        Console.WriteLine(string.Create(culture,
            $"DuckDB COPY of the same {duckDb[0].Rows:N0} rows to uncompressed Parquet: median {duckSeconds:N2} s, {duckDb[0].FileBytes / 1e6:N0} MB " +
            $"(CSV load before it, not timed in that figure: median {Median(duckDb.Select(d => d.LoadSeconds)):N2} s; node peak RSS " +
            $"{Median(duckDb.Select(d => (double)d.PeakBytes)) / 1048576:N0} MiB; loads at start {string.Join(", ", duckDb.Select(d => d.Load.ToString("0.00", culture)))})"));
        foreach (var (benchCase, runs) in results.Where(r => r.Key is { Source: "history", Format: "parquet" }))
        {
            var ours = Median(runs.Select(r => r.Seconds));
            Console.WriteLine(string.Create(culture,
                $"Ratio, our {benchCase.Format}/{benchCase.Compression} export (PostgreSQL to file) / DuckDB COPY (memory to file): {ours / duckSeconds:N2}"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
