using OrleansSignals.Exports.Destinations;

namespace OrleansSignals.Api.Exports;

/// <summary>Body of <c>POST /api/datalake/exports</c>; also the base of a schedule.</summary>
public record ExportRequest
{
    public string? Dataset { get; init; }
    public string? Format { get; init; }

    /// <summary><c>none</c> (default) or <c>gzip</c>; Parquet also <c>snappy</c>, <c>zstd</c> and <c>brotli</c> (page codecs inside the file).</summary>
    public string? Compression { get; init; }
    public ExportDestinationSpec? Destination { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }

    /// <summary>insight-snapshot only: traits to add as <c>trait_{name}</c> columns.</summary>
    public List<string>? Traits { get; init; }
}
