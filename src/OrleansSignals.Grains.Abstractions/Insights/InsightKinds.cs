namespace OrleansSignals.Grains.Insights;

public static class InsightKinds
{
    public const string EventCount = "event_count";
    public const string Inactivity = "inactivity";
    public const string Metric = "metric";
    public const string Anomaly = "anomaly";

    public static readonly string[] All = [EventCount, Inactivity, Metric, Anomaly];
}

public static class Operators
{
    public static readonly string[] All = ["gt", "gte", "lt", "lte", "eq"];

    public static bool Compare(double left, string op, double right) => op switch
    {
        "gt" => left > right,
        "gte" => left >= right,
        "lt" => left < right,
        "lte" => left <= right,
        "eq" => left == right,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown operator."),
    };
}

public static class MetricSources
{
    public const string Event = "event";
    public const string Trait = "trait";

    public static readonly string[] All = [Event, Trait];
}

public static class AnomalyDirections
{
    public const string Drop = "drop";
    public const string Rise = "rise";
    public const string Any = "any";

    public static readonly string[] All = [Drop, Rise, Any];
}
