namespace OrleansSignals.Signals.Evaluation;

/// <summary>Subjects that met a definition's condition, and how many of them were new occurrences (not deduplicated).</summary>
public sealed record EvaluationResult(int Matched, int Stored);
