using System.Text.RegularExpressions;

namespace OrleansSignals.Grains.Insights;

/// <summary>Checks a definition field by field; an empty list means it is valid.</summary>
public static partial class InsightDefinitionValidator
{
    /// <summary>Longest window any insight may look back over.</summary>
    public const int MaxWindowDays = 365;

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,63}$")]
    public static partial Regex KeyPattern();

    public static List<FieldError> Validate(InsightDefinition d)
    {
        var errors = new List<FieldError>();
        if (!KeyPattern().IsMatch(d.Key))
            errors.Add(new("key", "must be 1-64 characters of a-z, 0-9, '_', '.', '-', starting with a letter or digit"));
        switch (d.Kind)
        {
            case InsightKinds.EventCount:
                RequireName(errors, "event", d.Event);
                RequireDays(errors, "window_days", d.WindowDays);
                RequireComparison(errors, d);
                break;
            case InsightKinds.Inactivity:
                RequireDays(errors, "days", d.Days);
                if (d.Event is not null) RequireName(errors, "event", d.Event);
                break;
            case InsightKinds.Metric:
                RequireOneOf(errors, "source", d.Source, MetricSources.All);
                RequireName(errors, "property", d.Property);
                if (d.Event is not null) RequireName(errors, "event", d.Event);
                if (d.Event is not null && d.Source == MetricSources.Trait) errors.Add(new("event", "applies only to source 'event'"));
                RequireComparison(errors, d);
                break;
            case InsightKinds.Anomaly:
                if (d.Source is not null) RequireOneOf(errors, "source", d.Source, MetricSources.All);
                RequireName(errors, "property", d.Property);
                if (d.Event is not null) RequireName(errors, "event", d.Event);
                if (d.Event is not null && d.Source == MetricSources.Trait) errors.Add(new("event", "applies only to source 'event'"));
                RequireDays(errors, "window_days", d.WindowDays);
                if (d.DeviationPct is not > 0 or > 100_000) errors.Add(new("deviation_pct", "is required: a percentage above 0"));
                if (d.Direction is not null) RequireOneOf(errors, "direction", d.Direction, AnomalyDirections.All);
                break;
            default:
                errors.Add(new("kind", d.Kind.Length == 0
                    ? $"is required: one of {string.Join(", ", InsightKinds.All)}"
                    : $"'{d.Kind}' is not a kind; expected one of {string.Join(", ", InsightKinds.All)}"));
                break;
        }
        if (Applicable.TryGetValue(d.Kind, out var applicable))
        {
            foreach (var (field, given) in Given(d))
            {
                if (given && !applicable.Contains(field)) errors.Add(new(field, $"does not apply to kind '{d.Kind}' (its fields: {string.Join(", ", applicable)})"));
            }
        }
        return errors;
    }

    /// <summary>
    /// The fields each kind reads. A field of another kind is refused rather than stored unused: "days" on an
    /// event_count rule most likely means its author expected it to be read.
    /// </summary>
    private static readonly Dictionary<string, string[]> Applicable = new()
    {
        [InsightKinds.EventCount] = ["event", "window_days", "operator", "value"],
        [InsightKinds.Inactivity] = ["event", "days"],
        [InsightKinds.Metric] = ["source", "event", "property", "operator", "value"],
        [InsightKinds.Anomaly] = ["source", "event", "property", "window_days", "deviation_pct", "direction"],
    };

    /// <summary>
    /// The definition without the fields its kind does not read. Definitions stored before such fields were refused
    /// may carry them; they are dropped when loaded, so that what GET returns can be PUT back unchanged.
    /// </summary>
    public static InsightDefinition WithoutInapplicable(InsightDefinition d)
    {
        if (!Applicable.TryGetValue(d.Kind, out var applicable)) return d;
        bool Keep(string field) => applicable.Contains(field);
        return d with
        {
            Event = Keep("event") && d.Source != MetricSources.Trait ? d.Event : null,
            WindowDays = Keep("window_days") ? d.WindowDays : null,
            Days = Keep("days") ? d.Days : null,
            Operator = Keep("operator") ? d.Operator : null,
            Value = Keep("value") ? d.Value : null,
            Source = Keep("source") ? d.Source : null,
            Property = Keep("property") ? d.Property : null,
            DeviationPct = Keep("deviation_pct") ? d.DeviationPct : null,
            Direction = Keep("direction") ? d.Direction : null,
        };
    }

    private static IEnumerable<(string Field, bool Given)> Given(InsightDefinition d) =>
    [
        ("event", d.Event is not null), ("window_days", d.WindowDays is not null), ("days", d.Days is not null),
        ("operator", d.Operator is not null), ("value", d.Value is not null), ("source", d.Source is not null),
        ("property", d.Property is not null), ("deviation_pct", d.DeviationPct is not null), ("direction", d.Direction is not null),
    ];

    private static void RequireComparison(List<FieldError> errors, InsightDefinition d)
    {
        RequireOneOf(errors, "operator", d.Operator, Operators.All);
        if (d.Value is null || !double.IsFinite(d.Value.Value)) errors.Add(new("value", "is required: a number"));
    }

    private static void RequireOneOf(List<FieldError> errors, string field, string? value, string[] allowed)
    {
        if (value is null) errors.Add(new(field, $"is required: one of {string.Join(", ", allowed)}"));
        else if (!allowed.Contains(value)) errors.Add(new(field, $"'{value}' is not allowed; expected one of {string.Join(", ", allowed)}"));
    }

    private static void RequireDays(List<FieldError> errors, string field, int? days)
    {
        if (days is null or < 1 or > MaxWindowDays) errors.Add(new(field, $"is required: a whole number of days from 1 to {MaxWindowDays}"));
    }

    private static void RequireName(List<FieldError> errors, string field, string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200) errors.Add(new(field, "is required: a name of 1-200 characters"));
    }
}
