namespace OrleansSignals.Exports.Formats;

/// <summary>Wire names, allowed combinations and file extensions of formats and compressions.</summary>
public static class ExportFormats
{
    private static readonly string[] Compressions = ["none", "snappy", "gzip", "zstd", "brotli"];

    public static readonly IReadOnlyList<string> FormatNames = ["csv", "jsonl", "parquet"];

    /// <summary>Every compression's wire name, in <see cref="ExportCompression"/> order.</summary>
    public static readonly IReadOnlyList<string> CompressionNames = Compressions;

    public static bool TryParseFormat(string? name, out ExportFormat format)
    {
        format = name switch { "csv" => ExportFormat.Csv, "jsonl" => ExportFormat.Jsonl, "parquet" => ExportFormat.Parquet, _ => (ExportFormat)(-1) };
        return format >= 0;
    }

    public static bool TryParseCompression(string? name, out ExportCompression compression)
    {
        var index = name is null ? -1 : Array.IndexOf(Compressions, name);
        compression = (ExportCompression)index;
        return index >= 0;
    }

    public static string Name(this ExportFormat format) => FormatNames[(int)format];

    public static string Name(this ExportCompression compression) => CompressionNames[(int)compression];

    /// <summary>The compressions a format accepts: CSV and JSON Lines are gzipped whole or not at all; Parquet takes every codec.</summary>
    public static IReadOnlyList<string> CompressionsFor(ExportFormat format) =>
        format == ExportFormat.Parquet ? CompressionNames : ["none", "gzip"];

    /// <summary>The file extension without the dot: <c>csv</c>, <c>csv.gz</c>, <c>jsonl</c>, <c>jsonl.gz</c>, <c>parquet</c>.</summary>
    public static string Extension(ExportFormat format, ExportCompression compression) => (format, compression) switch
    {
        (ExportFormat.Parquet, _) => "parquet",
        (_, ExportCompression.Gzip) => format.Name() + ".gz",
        _ => format.Name(),
    };
}
