namespace OrleansSignals.Signals.Definitions;

/// <summary>The words a definition may use, each defined once.</summary>
public static class SignalVocabulary
{
    public const string Events = "events";
    public const string Insight = "insight";
    public const string PostHog = "posthog";
    public const string Account = "account";
    public const string Person = "person";
    public const string Customer = "customer";
    public const string Agent = "agent";

    public static readonly IReadOnlyList<string> Sources = [Events, Insight, PostHog];
    public static readonly IReadOnlyList<string> Levels = [Account, Person];
    public static readonly IReadOnlyList<string> Origins = [Customer, Agent];

    /// <summary>Operator name to its SQL and its C# meaning (the SQL is a fixed string, never user text).</summary>
    public static readonly IReadOnlyDictionary<string, (string Sql, Func<double, double, bool> Holds)> Operators =
        new Dictionary<string, (string, Func<double, double, bool>)>
        {
            ["gt"] = (">", (a, b) => a > b),
            ["gte"] = (">=", (a, b) => a >= b),
            ["lt"] = ("<", (a, b) => a < b),
            ["lte"] = ("<=", (a, b) => a <= b),
            ["eq"] = ("=", (a, b) => a == b),
            ["neq"] = ("<>", (a, b) => a != b),
        };
}
