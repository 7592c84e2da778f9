namespace OrleansSignals.Signals.Evaluation;

/// <summary>One stored occurrence: a subject met a definition's condition over a window, found by a run.</summary>
public sealed record SignalOccurrence(
    Guid Id,
    string Type,
    string AccountId,
    string? PersonId,
    double Value,
    DateTimeOffset DetectedAt,
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    Guid RunId);
