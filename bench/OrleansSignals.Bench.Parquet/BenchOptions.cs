using System.Globalization;
using OrleansSignals.Exports.Formats;

namespace OrleansSignals.Bench.Parquet;

/// <summary>
/// Command line: [--rows 10000000] [--runs 3] [--duckdb-runs N] [--writers ours,parquetnet,duckdb]
/// [--codecs none,snappy,gzip,zstd,brotli] [--duckdb-codecs none,snappy,gzip,zstd] [--out dir] [--markdown file];
/// children get --child --writer X --codec X --file path.
/// </summary>
internal sealed record BenchOptions
{
    public long Rows { get; init; } = 10_000_000;

    public int Runs { get; init; } = 3;

    /// <summary>Runs of DuckDB per codec; null means <see cref="Runs"/>. DuckDB's COPY is the slowest writer on this machine.</summary>
    public int? DuckDbRuns { get; init; }

    public IReadOnlyList<BenchWriter> Writers { get; init; } = [BenchWriter.Ours, BenchWriter.ParquetNet, BenchWriter.DuckDb];

    public IReadOnlyList<ExportCompression> Codecs { get; init; } =
        [ExportCompression.None, ExportCompression.Snappy, ExportCompression.Gzip, ExportCompression.Zstd, ExportCompression.Brotli];

    public string OutputDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "orleanssignals-bench-parquet");

    /// <summary>
    /// Codecs to run DuckDB's COPY with; null means the same as <see cref="Codecs"/>. DuckDB's BROTLI
    /// runs at a high quality and takes minutes per million rows, so leave it out at 10M rows.
    /// </summary>
    public IReadOnlyList<ExportCompression>? DuckDbCodecs { get; init; }

    public string? MarkdownFile { get; init; }

    public bool Child { get; init; }

    public BenchWriter Writer { get; init; } = BenchWriter.ParquetNet;

    public ExportCompression Codec { get; init; } = ExportCompression.Gzip;

    public string File { get; init; } = "";

    /// <summary>Parquet.Net row group size; null keeps the exports' default (<see cref="ParquetFileOptions"/>).</summary>
    public int? RowGroupRows { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--rows" => options with { Rows = long.Parse(Next(), CultureInfo.InvariantCulture) },
                "--runs" => options with { Runs = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--duckdb-runs" => options with { DuckDbRuns = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--writers" => options with { Writers = [.. Next().Split(',').Select(ParseWriter)] },
                "--codecs" => options with { Codecs = [.. Next().Split(',').Select(ParseCodec)] },
                "--out" => options with { OutputDirectory = Next() },
                "--duckdb-codecs" => options with { DuckDbCodecs = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseCodec)] },
                "--markdown" => options with { MarkdownFile = Next() },
                "--child" => options with { Child = true },
                "--writer" => options with { Writer = ParseWriter(Next()) },
                "--codec" => options with { Codec = ParseCodec(Next()) },
                "--file" => options with { File = Next() },
                "--row-group-rows" => options with { RowGroupRows = int.Parse(Next(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown argument {args[i]}."),
            };
        }

        return options;
    }

    public static string Name(ExportCompression codec) => codec.Name();

    public static string Name(BenchWriter writer) => writer.ToString().ToLowerInvariant();

    private static ExportCompression ParseCodec(string value) =>
        ExportFormats.TryParseCompression(value, out var codec) ? codec : throw new ArgumentException($"Unknown codec {value}.");

    private static BenchWriter ParseWriter(string value) => Enum.Parse<BenchWriter>(value, ignoreCase: true);
}
