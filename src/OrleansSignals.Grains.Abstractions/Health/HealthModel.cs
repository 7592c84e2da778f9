namespace OrleansSignals.Grains.Health;

/// <summary>
/// How a workspace scores account health: <see cref="Base"/> plus the sum of the components, clamped to 0-100.
/// </summary>
/// <param name="MinChange">
/// A <c>health_score.changed</c> transition is recorded when the score has moved at least this many points
/// from the last recorded score (default 5). The current score itself always updates. 1 records every move.
/// </param>
[GenerateSerializer, Immutable]
public sealed record HealthModel(double Base, IReadOnlyList<HealthComponent> Components, int MinChange = HealthModel.DefaultMinChange)
{
    public const int DefaultMinChange = 5;

    /// <summary>
    /// The model a workspace starts with: 50, plus up to 30 for recent activity (full today, none after
    /// 30 days) and up to 20 for volume (20 events in 30 days or more). Insight components are added by the workspace.
    /// </summary>
    public static readonly HealthModel Default = new(50,
    [
        new HealthComponent { Type = HealthComponentTypes.Recency, Weight = 30, Days = 30 },
        new HealthComponent { Type = HealthComponentTypes.Activity, Weight = 20, Days = 30, Target = 20 },
    ]);
}
