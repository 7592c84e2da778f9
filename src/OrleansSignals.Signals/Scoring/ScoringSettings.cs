using System.Text.Json.Serialization;

namespace OrleansSignals.Signals.Scoring;

/// <summary>
/// The outcome signals are scored against, reached within <see cref="OutcomeDays"/>: an event (<see cref="OutcomeEvent"/>)
/// or a trait reaching a value (<see cref="OutcomeTrait"/>), exactly one of them; and the fewest matched accounts a
/// candidate needs before it can be promoted.
/// </summary>
public sealed record ScoringSettings(string? OutcomeEvent, TraitOutcome? OutcomeTrait, int OutcomeDays, int MinSupport)
{
    /// <summary>"upgraded within 30 days", "plan = enterprise within 30 days".</summary>
    [JsonIgnore]
    public string Outcome => Describe(OutcomeEvent, OutcomeTrait, OutcomeDays)!;

    public static string? Describe(string? outcomeEvent, TraitOutcome? outcomeTrait, int? days) =>
        (outcomeEvent ?? outcomeTrait?.Describe()) is { } what && days is { } d ? $"{what} within {d} day{(d == 1 ? "" : "s")}" : null;
}
