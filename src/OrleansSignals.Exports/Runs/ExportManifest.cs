using OrleansSignals.Exports.Parquet;

namespace OrleansSignals.Exports.Runs;

/// <summary>
/// <c>_manifest_{run}.json</c>, written beside the parts after the last of them: its presence says the
/// run is complete, and it lists every part with rows, bytes and SHA-256.
/// </summary>
public sealed record ExportManifest(
    Guid RunId,
    string WorkspaceId,
    string Dataset,
    string Format,
    string Compression,
    DateTimeOffset? From,
    DateTimeOffset? To,
    DateTimeOffset SnapshotAt,
    IReadOnlyList<ExportManifest.Column> Schema,
    IReadOnlyList<ExportFile> Files,
    long Rows,
    long Bytes,
    DateTimeOffset CompletedAt)
{
    /// <summary>A column: name, type (<c>string</c>, <c>int64</c>, <c>double</c>, <c>boolean</c>, <c>timestamp</c>) and nullability.</summary>
    public sealed record Column(string Name, string Type, bool Nullable);

    public static IReadOnlyList<Column> Describe(ParquetSchema schema) =>
        [.. schema.Columns.Select(c => new Column(c.Name, c.Type.ToString().ToLowerInvariant(), c.Nullable))];
}
