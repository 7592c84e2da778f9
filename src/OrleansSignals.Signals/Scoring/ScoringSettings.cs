namespace OrleansSignals.Signals.Scoring;

/// <summary>
/// The outcome signals are scored against (an event reached within <see cref="OutcomeDays"/>), and the fewest matched
/// accounts a candidate needs before it can be promoted.
/// </summary>
public sealed record ScoringSettings(string OutcomeEvent, int OutcomeDays, int MinSupport);
