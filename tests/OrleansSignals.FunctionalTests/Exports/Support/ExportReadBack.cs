using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansSignals.Exports.Tests.Parquet.Support;

namespace OrleansSignals.FunctionalTests.Exports.Support;

/// <summary>
/// Reads export files back with independent readers (DuckDB for Parquet, CsvHelper for CSV,
/// System.Text.Json for JSON Lines, an RFC 4180 reader for CSV) into rows of canonical strings, so every format compares the
/// same way: timestamps <c>yyyy-MM-ddTHH:mm:ss.ffffffZ</c>, integers in decimal, booleans
/// <c>true</c>/<c>false</c>, JSON text with keys sorted, nulls null.
/// </summary>
public static class ExportReadBack
{
    public sealed record Table(IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Rows);

    public static async Task<Table> ReadAsync(string path, string format, IReadOnlySet<string> jsonColumns)
    {
        var table = format switch
        {
            "parquet" => await ReadParquetAsync(path),
            "csv" => ReadCsv(path),
            _ => ReadJsonLines(path),
        };
        var json = table.Columns.Select(jsonColumns.Contains).ToArray();
        return table with { Rows = [.. table.Rows.Select(r => r.Select((v, i) => json[i] && v is not null ? CanonicalJson(v) : v).ToArray())] };
    }

    public static string Micros(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>JSON text with object keys sorted at every level, so two spellings of one value compare equal.</summary>
    public static string CanonicalJson(string json) => Sort(JsonNode.Parse(json))?.ToJsonString() ?? "null";

    private static JsonNode? Sort(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sort(p.Value?.DeepClone())))),
        JsonArray a => new JsonArray([.. a.Select(x => Sort(x?.DeepClone()))]),
        _ => node?.DeepClone(),
    };

    private static async Task<Table> ReadParquetAsync(string path)
    {
        var file = await DuckDbReader.ReadAsync(path);
        var columns = file.Columns.Select(c => c.Name).ToList();
        var rows = file.Rows.Select(r => r.Select(Text).ToArray()).ToList();
        // DuckDB reads the year=/month=/day= folders as Hive partition columns, at the end: they
        // must name the folder the file is in; the file's own columns come before them.
        if (columns.Count > 3 && columns[^3..].SequenceEqual(["day", "month", "year"]))
        {
            var folder = Path.GetDirectoryName(path)!.Split('/');
            string[] expected = [folder[^1]["day=".Length..], folder[^2]["month=".Length..], folder[^3]["year=".Length..]];
            Assert.All(rows, r => Assert.Equal(expected.Select(v => v.TrimStart('0')), r[^3..].Select(v => v!.TrimStart('0'))));
            columns.RemoveRange(columns.Count - 3, 3);
            rows = [.. rows.Select(r => r[..^3])];
        }
        return new Table(columns, rows);
    }

    private static Table ReadCsv(string path)
    {
        using var stream = Open(path);
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true));
        var records = Rfc4180Reader.Read(reader);
        var columns = records[0].Select(c => c!).ToArray();
        Assert.All(records, r => Assert.Equal(columns.Length, r.Length));
        return new Table(columns, records[1..]);
    }

    private static Table ReadJsonLines(string path)
    {
        using var stream = Open(path);
        using var reader = new StreamReader(stream, new UTF8Encoding(false, true));
        List<string>? columns = null;
        var rows = new List<string?[]>();
        while (reader.ReadLine() is { } line)
        {
            using var document = JsonDocument.Parse(line);
            var properties = document.RootElement.EnumerateObject().ToList();
            columns ??= [.. properties.Select(p => p.Name)];
            Assert.Equal(columns, properties.Select(p => p.Name));
            rows.Add([.. properties.Select(p => Text(p.Value))]);
        }
        return new Table(columns ?? [], rows);
    }

    private static Stream Open(string path)
    {
        var file = File.OpenRead(path);
        return path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        _ => value.GetString(),
    };
}
