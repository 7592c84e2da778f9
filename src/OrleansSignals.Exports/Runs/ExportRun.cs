using OrleansSignals.Exports.Destinations;

namespace OrleansSignals.Exports.Runs;

/// <summary>An export run as stored in <c>export_runs</c>.</summary>
public sealed record ExportRun(
    Guid Id,
    string WorkspaceId,
    Guid? ScheduleId,
    string Dataset,
    string Format,
    string Compression,
    ExportDestinationSpec Destination,
    IReadOnlyList<string> Traits,
    DateTimeOffset? From,
    DateTimeOffset? To,
    DateOnly PartitionDate,
    string Status,
    int Attempts,
    long Rows,
    long Bytes,
    double Progress,
    IReadOnlyList<ExportFile> Files,
    string? Manifest,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt);
