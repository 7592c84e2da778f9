using OrleansSignals.Exports.Destinations;
using OrleansSignals.Exports.Runs;

namespace OrleansSignals.Api.Exports;

/// <summary>
/// A run as the API shows it; <c>files[].location</c> is where the file is relative to its destination: the path within
/// the workspace's export folder (local), or the <c>s3://bucket/key</c> URL. Never a path of the server's file system.
/// </summary>
public sealed record ExportRunResponse(
    Guid Id,
    Guid? ScheduleId,
    string Dataset,
    string Format,
    string Compression,
    ExportDestinationSpec Destination,
    IReadOnlyList<string> Traits,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string Status,
    long Rows,
    long Bytes,
    double Progress,
    IReadOnlyList<ExportRunResponse.File> Files,
    string? Manifest,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt)
{
    public sealed record File(string Path, string Location, long Rows, long Bytes, string Sha256);

    public static ExportRunResponse Of(ExportRun run, IExportDestination destination) => new(
        run.Id, run.ScheduleId, run.Dataset, run.Format, run.Compression, run.Destination, run.Traits, run.From, run.To,
        run.Status, run.Rows, run.Bytes, run.Progress,
        [.. run.Files.Select(f => new File(f.Path, destination.Describe(f.Path), f.Rows, f.Bytes, f.Sha256))],
        run.Manifest, run.Error, run.CreatedAt, run.StartedAt, run.CompletedAt);
}
