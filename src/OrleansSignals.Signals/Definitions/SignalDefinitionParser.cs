using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansSignals.Grains;

namespace OrleansSignals.Signals.Definitions;

/// <summary>
/// A definition from a request body: every field checked and named when wrong, defaults filled in (source
/// <c>events</c>, level <c>account</c>, origin <c>customer</c>, active).
/// </summary>
public static partial class SignalDefinitionParser
{
    public const int MaxWindowDays = 365;

    private static readonly string[] Known =
        ["type", "name", "source", "event_name", "condition_operator", "condition_value", "time_window_days", "level", "is_active", "origin"];

    /// <param name="typeFromRoute">The type a PUT names in its URL: the body may leave <c>type</c> out, or must repeat it.</param>
    public static (SignalDefinition? Definition, List<FieldError> Errors) Parse(JsonElement body, string? typeFromRoute = null)
    {
        var f = new JsonFields(body, Known);
        if (!f.IsObject) return (null, f.Errors);
        var type = f.String("type", required: typeFromRoute is null) ?? typeFromRoute;
        if (type is not null && !TypePattern().IsMatch(type))
            f.Fail("type", "must be 1-64 characters: lower-case letters, digits, '_', '-' or '.', starting with a letter or digit");
        if (typeFromRoute is not null && type != typeFromRoute) f.Fail("type", $"'{type}' differs from the type in the URL ('{typeFromRoute}')");

        var name = f.String("name") ?? type;
        if (name is { Length: > 200 }) f.Fail("name", "must be at most 200 characters");
        var source = f.String("source") ?? SignalVocabulary.Events;
        if (!SignalVocabulary.Sources.Contains(source)) f.Fail("source", $"'{source}' is not a source (events, insight, posthog)");

        var eventName = f.String("event_name", required: true);
        if (eventName is { Length: 0 or > 200 }) f.Fail("event_name", "must be 1-200 characters");

        // An insight definition counts the insight's triggers since the last run: "became active" is at least one.
        var defaultsToOnce = source == SignalVocabulary.Insight;
        var op = f.String("condition_operator", required: !defaultsToOnce) ?? (defaultsToOnce ? "gte" : null);
        if (op is not null && !SignalVocabulary.Operators.ContainsKey(op)) f.Fail("condition_operator", $"'{op}' is not an operator (gt, gte, lt, lte, eq, neq)");
        var value = f.Number("condition_value", required: !defaultsToOnce) ?? (defaultsToOnce ? 1 : null);
        var window = f.Integer("time_window_days", required: !defaultsToOnce) ?? (defaultsToOnce ? 7 : null);
        if (window is < 1 or > MaxWindowDays) f.Fail("time_window_days", $"must be between 1 and {MaxWindowDays} days");
        var level = f.String("level") ?? SignalVocabulary.Account;
        if (!SignalVocabulary.Levels.Contains(level)) f.Fail("level", $"'{level}' is not a level (person, account)");
        if (level == SignalVocabulary.Person && source == SignalVocabulary.Insight) f.Fail("level", "insights are kept per account: an insight signal is account-level");
        var active = f.Boolean("is_active") ?? true;
        var origin = f.String("origin") ?? SignalVocabulary.Customer;
        if (!SignalVocabulary.Origins.Contains(origin)) f.Fail("origin", $"'{origin}' is not an origin (customer, agent)");

        if (f.Errors.Count > 0) return (null, f.Errors);
        return (new SignalDefinition(type!, name!, source, eventName, op!, value!.Value, window!.Value, level, active, origin), f.Errors);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,63}$")]
    private static partial Regex TypePattern();
}
