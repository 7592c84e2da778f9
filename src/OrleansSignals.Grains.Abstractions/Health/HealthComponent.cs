namespace OrleansSignals.Grains.Health;

/// <summary>
/// One weighted part of the health score. By <see cref="Type"/>:
/// <list type="bullet">
/// <item><c>recency</c>: weight x (1 - days since the last event / <see cref="Days"/>), never below 0.</item>
/// <item><c>activity</c>: weight x min(1, events (of <see cref="Event"/>, or all) in the last <see cref="Days"/> / <see cref="Target"/>).</item>
/// <item><c>insight</c>: weight when <see cref="Insight"/> is active (negative weights subtract).</item>
/// <item><c>metric</c>: weight x the value of <see cref="Property"/> (from <see cref="Source"/>) scaled from [<see cref="Min"/>, <see cref="Max"/>] to [0, 1].</item>
/// </list>
/// </summary>
[GenerateSerializer, Immutable]
public sealed record HealthComponent
{
    [Id(0)] public string Type { get; init; } = "";
    [Id(1)] public double Weight { get; init; }
    [Id(2)] public int? Days { get; init; }
    [Id(3)] public double? Target { get; init; }
    [Id(4)] public string? Event { get; init; }
    [Id(5)] public string? Insight { get; init; }
    [Id(6)] public string? Source { get; init; }
    [Id(7)] public string? Property { get; init; }
    [Id(8)] public double? Min { get; init; }
    [Id(9)] public double? Max { get; init; }
}

public static class HealthComponentTypes
{
    public const string Recency = "recency";
    public const string Activity = "activity";
    public const string Insight = "insight";
    public const string Metric = "metric";

    public static readonly string[] All = [Recency, Activity, Insight, Metric];
}
