using System.Globalization;
using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Bench.Parquet;

/// <summary>
/// Command line: [--rows 10000000] [--runs 3] [--codecs none,gzip,brotli] [--out dir]
/// [--duckdb-codecs none,gzip] [--markdown file]; children get --child --codec X --file path.
/// </summary>
internal sealed record BenchOptions
{
    public long Rows { get; init; } = 10_000_000;

    public int Runs { get; init; } = 3;

    public IReadOnlyList<ParquetCompression> Codecs { get; init; } =
        [ParquetCompression.None, ParquetCompression.Gzip, ParquetCompression.Brotli];

    public string OutputDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "orleanssignals-bench-parquet");

    /// <summary>Codecs to run DuckDB's COPY with; null means the same as <see cref="Codecs"/>.</summary>
    public IReadOnlyList<ParquetCompression>? DuckDbCodecs { get; init; }

    public string? MarkdownFile { get; init; }

    public bool Child { get; init; }

    public ParquetCompression Codec { get; init; } = ParquetCompression.Gzip;

    public string File { get; init; } = "";

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
                "--codecs" => options with { Codecs = [.. Next().Split(',').Select(ParseCodec)] },
                "--out" => options with { OutputDirectory = Next() },
                "--duckdb-codecs" => options with { DuckDbCodecs = [.. Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParseCodec)] },
                "--markdown" => options with { MarkdownFile = Next() },
                "--child" => options with { Child = true },
                "--codec" => options with { Codec = ParseCodec(Next()) },
                "--file" => options with { File = Next() },
                _ => throw new ArgumentException($"Unknown argument {args[i]}."),
            };
        }

        return options;
    }

    public static string Name(ParquetCompression codec) => codec.ToString().ToLowerInvariant();

    private static ParquetCompression ParseCodec(string value) => Enum.Parse<ParquetCompression>(value, ignoreCase: true);
}
