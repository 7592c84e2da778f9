namespace OrleansSignals.Grains.Insights;

/// <summary>
/// A workspace's rule for one insight. Which fields apply depends on <see cref="Kind"/>:
/// <list type="bullet">
/// <item><c>event_count</c>: <see cref="Event"/>, <see cref="WindowDays"/>, <see cref="Operator"/>, <see cref="Value"/> ("3+ logins in 7 days").</item>
/// <item><c>inactivity</c>: <see cref="Days"/>, optional <see cref="Event"/> (no event, or no event of that name, for N days).</item>
/// <item><c>metric</c>: <see cref="Source"/> (<c>event</c> or <c>trait</c>), <see cref="Property"/>, optional <see cref="Event"/>, <see cref="Operator"/>, <see cref="Value"/>.</item>
/// <item><c>anomaly</c>: <see cref="Property"/>, optional <see cref="Event"/>, <see cref="WindowDays"/>, <see cref="DeviationPct"/>, optional <see cref="Direction"/>
/// (the latest value deviates more than P% from its trailing mean over N days).</item>
/// </list>
/// Kinds, operators and sources stay strings so that a wrong one is reported by name (see <see cref="InsightDefinitionValidator"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record InsightDefinition
{
    [Id(0)] public string Key { get; init; } = "";
    [Id(1)] public string Kind { get; init; } = "";
    [Id(2)] public string? Description { get; init; }
    [Id(3)] public string? Event { get; init; }
    [Id(4)] public int? WindowDays { get; init; }
    [Id(5)] public int? Days { get; init; }
    [Id(6)] public string? Operator { get; init; }
    [Id(7)] public double? Value { get; init; }
    [Id(8)] public string? Source { get; init; }
    [Id(9)] public string? Property { get; init; }
    [Id(10)] public double? DeviationPct { get; init; }
    [Id(11)] public string? Direction { get; init; }
}
