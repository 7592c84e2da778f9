namespace OrleansSignals.Cli.Api;

/// <summary>An export run as <c>GET /api/datalake/exports/{id}</c> returns it (the fields this tool shows).</summary>
public sealed record ExportRun(
    Guid Id,
    string Dataset,
    string Format,
    string Compression,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string Status,
    long Rows,
    long Bytes,
    double Progress,
    IReadOnlyList<ExportRunFile> Files,
    string? Manifest,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt)
{
    public bool IsFinished => Status is "completed" or "failed";
}
