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
public sealed record InsightDefinition
{
    public string Key { get; init; } = "";
    public string Kind { get; init; } = "";
    public string? Description { get; init; }
    public string? Event { get; init; }
    public int? WindowDays { get; init; }
    public int? Days { get; init; }
    public string? Operator { get; init; }
    public double? Value { get; init; }
    public string? Source { get; init; }
    public string? Property { get; init; }
    public double? DeviationPct { get; init; }
    public string? Direction { get; init; }
}
