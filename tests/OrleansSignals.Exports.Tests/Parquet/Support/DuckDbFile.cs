using System.Text.Json;

namespace OrleansSignals.Exports.Tests.Parquet.Support;

/// <summary>What DuckDB reported about a file; see tests/tools/duckdb-read.mjs for the shape.</summary>
internal sealed class DuckDbFile(JsonElement root)
{
    public long NumRows => long.Parse(root.GetProperty("file").GetProperty("num_rows").GetString()!);

    public long NumRowGroups => long.Parse(root.GetProperty("file").GetProperty("num_row_groups").GetString()!);

    public string CreatedBy => root.GetProperty("file").GetProperty("created_by").GetString()!;

    /// <summary>parquet_schema rows: the root first, then one per column.</summary>
    public IReadOnlyList<JsonElement> Schema => [.. root.GetProperty("schema").EnumerateArray()];

    /// <summary>parquet_metadata rows: one per column chunk, by row group then column.</summary>
    public IReadOnlyList<JsonElement> ColumnChunks => [.. root.GetProperty("metadata").EnumerateArray()];

    public IReadOnlyList<(string Name, string Type)> Columns =>
        [.. root.GetProperty("columns").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("type").GetString()!))];

    public IReadOnlyList<JsonElement[]> Rows => [.. root.GetProperty("rows").EnumerateArray().Select(r => r.EnumerateArray().ToArray())];

    public JsonElement SchemaOf(string column) => Schema.Single(s => s.GetProperty("name").GetString() == column);

    public IEnumerable<JsonElement> ChunksOf(string column) =>
        ColumnChunks.Where(c => c.GetProperty("path_in_schema").GetString() == column);
}
