using OrleansSignals.Grains.Insights;

namespace OrleansSignals.Grains.Health;

/// <summary>Checks a health model field by field; an empty list means it is valid.</summary>
public static class HealthModelValidator
{
    public static List<FieldError> Validate(HealthModel model)
    {
        var errors = new List<FieldError>();
        if (!double.IsFinite(model.Base) || model.Base is < 0 or > 100) errors.Add(new("base", "must be a number from 0 to 100"));
        if (model.MinChange is < 1 or > 100) errors.Add(new("min_change", "must be a whole number of points from 1 to 100"));
        if (model.Components is null) return [.. errors, new("components", "is required: a list (it may be empty)")];
        if (model.Components.Count > 50) errors.Add(new("components", "may hold at most 50 components"));
        for (var i = 0; i < model.Components.Count; i++)
        {
            var c = model.Components[i];
            var at = $"components[{i}]";
            if (!double.IsFinite(c.Weight) || Math.Abs(c.Weight) > 100) errors.Add(new($"{at}.weight", "must be a number from -100 to 100"));
            switch (c.Type)
            {
                case HealthComponentTypes.Recency:
                    Days(errors, at, c.Days);
                    break;
                case HealthComponentTypes.Activity:
                    Days(errors, at, c.Days);
                    if (c.Target is not > 0) errors.Add(new($"{at}.target", "is required: a number of events above 0"));
                    break;
                case HealthComponentTypes.Insight:
                    if (string.IsNullOrWhiteSpace(c.Insight)) errors.Add(new($"{at}.insight", "is required: an insight key"));
                    break;
                case HealthComponentTypes.Metric:
                    if (c.Source is null || !MetricSources.All.Contains(c.Source))
                        errors.Add(new($"{at}.source", $"is required: one of {string.Join(", ", MetricSources.All)}"));
                    if (string.IsNullOrWhiteSpace(c.Property)) errors.Add(new($"{at}.property", "is required: a property name"));
                    if (c.Min is null || c.Max is null || !(c.Max > c.Min)) errors.Add(new($"{at}.max", "min and max are required, with max above min"));
                    break;
                default:
                    errors.Add(new($"{at}.type", $"'{c.Type}' is not a component type; expected one of {string.Join(", ", HealthComponentTypes.All)}"));
                    break;
            }
        }
        return errors;
    }

    private static void Days(List<FieldError> errors, string at, int? days)
    {
        if (days is null or < 1 or > InsightDefinitionValidator.MaxWindowDays)
            errors.Add(new($"{at}.days", $"is required: a whole number of days from 1 to {InsightDefinitionValidator.MaxWindowDays}"));
    }
}
