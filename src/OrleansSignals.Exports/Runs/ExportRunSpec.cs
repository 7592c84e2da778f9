using OrleansSignals.Exports.Destinations;

namespace OrleansSignals.Exports.Runs;

/// <summary>What a new run is asked to export (validated by the caller).</summary>
public sealed record ExportRunSpec(
    string Dataset,
    string Format,
    string Compression,
    ExportDestinationSpec Destination,
    IReadOnlyList<string> Traits,
    DateTimeOffset? From,
    DateTimeOffset? To);
