namespace OrleansSignals.Signals.Pipeline;

/// <summary>One run of a workspace's pipeline and where each of its steps stands.</summary>
public sealed record PipelineRun(
    Guid Id,
    string WorkspaceId,
    string RunKey,
    string Trigger,
    string Status,
    DateTimeOffset AsOf,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int Attempts,
    string? Error)
{
    public IReadOnlyList<PipelineStep> Steps { get; init; } = [];

    /// <summary>The evaluate step's checkpoints: one per definition, with its error when it failed.</summary>
    public IReadOnlyList<DefinitionOutcome> Definitions { get; init; } = [];
}

/// <summary>
/// A step of a run: status, what it counted, how long it took (summed over resumed slices), why it failed (or, once
/// completed, what failed in part of it), and why it was skipped.
/// </summary>
public sealed record PipelineStep(
    string Step,
    string Status,
    IReadOnlyDictionary<string, long> Counts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    long DurationMs,
    string? Error,
    string? Reason = null);

/// <summary>How one definition's evaluation went in a run.</summary>
public sealed record DefinitionOutcome(string Type, string Status, int Matched, int Stored, long DurationMs, string? Error);
