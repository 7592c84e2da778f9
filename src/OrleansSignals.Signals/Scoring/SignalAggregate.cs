namespace OrleansSignals.Signals.Scoring;

/// <summary>One definition's score in one run (GET /api/signals/aggregates).</summary>
public sealed record SignalAggregate(
    string Type,
    Guid RunId,
    DateTimeOffset AsOf,
    string? OutcomeEvent,
    TraitOutcome? OutcomeTrait,
    int? OutcomeDays,
    int Matched,
    int? MatchedConverted,
    int? Rest,
    int? RestConverted,
    double? ConversionMatched,
    double? ConversionRest,
    double? Lift,
    double? LiftLow,
    double? LiftHigh,
    double? Z,
    double? PValue,
    bool Promoted,
    string? Error = null)
{
    /// <summary>What converting meant in this run: "upgraded within 30 days", "plan = enterprise within 30 days".</summary>
    public string? Outcome => ScoringSettings.Describe(OutcomeEvent, OutcomeTrait, OutcomeDays);
}
