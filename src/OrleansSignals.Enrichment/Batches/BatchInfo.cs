namespace OrleansSignals.Enrichment.Batches;

/// <summary>A batch row with its upload's header.</summary>
public sealed record BatchInfo(
    Guid Id,
    string WorkspaceId,
    string Status,
    string[] Steps,
    int ItemCount,
    string[] Header,
    string? FileName,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? ConsolidatedAt,
    string? Consolidation);
