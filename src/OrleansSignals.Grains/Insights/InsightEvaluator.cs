using System.Globalization;
using System.Text.Json;
using OrleansSignals.Grains.Accounts;

namespace OrleansSignals.Grains.Insights;

/// <summary>Decides whether one insight holds for an account now, and when that could next change by time alone.</summary>
public static class InsightEvaluator
{
    public readonly record struct Result(bool Active, DateTimeOffset? NextDue);

    public static Result Evaluate(InsightDefinition d, AccountState state, DateTimeOffset now) => d.Kind switch
    {
        InsightKinds.EventCount => EventCount(d, state, now),
        InsightKinds.Inactivity => Inactivity(d, state, now),
        InsightKinds.Metric => Metric(d, state),
        InsightKinds.Anomaly => Anomaly(d, state),
        _ => new Result(false, null),
    };

    private static Result EventCount(InsightDefinition d, AccountState state, DateTimeOffset now)
    {
        var hours = state.Hours.GetValueOrDefault(d.Event!);
        var count = EventWindow.Count(hours, now, d.WindowDays!.Value);
        var active = Operators.Compare(count, d.Operator!, d.Value!.Value);
        var next = Earliest(EventWindow.NextExpiry(hours, now, d.WindowDays.Value), EventWindow.NextEntry(hours, now));
        return new Result(active, next);
    }

    private static Result Inactivity(InsightDefinition d, AccountState state, DateTimeOffset now)
    {
        // An account that never sent the event is measured from when it was first seen.
        var last = d.Event is null ? state.LastEventAt : state.LastSeen.TryGetValue(d.Event, out var at) ? at : null;
        var reference = last ?? state.CreatedAt;
        var darkAt = reference.AddDays(d.Days!.Value);
        return now >= darkAt ? new Result(true, null) : new Result(false, darkAt);
    }

    private static Result Metric(InsightDefinition d, AccountState state)
    {
        var value = MetricValue(state, d.Source!, d.Event, d.Property!);
        return new Result(value is { } v && Operators.Compare(v, d.Operator!, d.Value!.Value), null);
    }

    private static Result Anomaly(InsightDefinition d, AccountState state)
    {
        if (!state.Series.TryGetValue(SeriesKey(d), out var points) || points.Count < 2)
            return new Result(false, null);
        var latest = points[^1];
        var from = latest.At.AddDays(-d.WindowDays!.Value);
        double sum = 0;
        var n = 0;
        for (var i = points.Count - 2; i >= 0 && points[i].At >= from; i--)
        {
            sum += points[i].Value;
            n++;
        }
        if (n == 0) return new Result(false, null);
        var mean = sum / n;
        if (mean == 0) return new Result(false, null);
        var deviation = (latest.Value - mean) / Math.Abs(mean) * 100;
        var active = (d.Direction ?? AnomalyDirections.Any) switch
        {
            AnomalyDirections.Drop => -deviation > d.DeviationPct,
            AnomalyDirections.Rise => deviation > d.DeviationPct,
            _ => Math.Abs(deviation) > d.DeviationPct,
        };
        return new Result(active, null);
    }

    /// <summary>The key of the series an anomaly definition watches: an event property's, or a trait's (one point per write of the traits). See <see cref="MetricKeys"/>.</summary>
    public static string SeriesKey(InsightDefinition d) => d.Source == MetricSources.Trait ? MetricKeys.Trait(d.Property!) : MetricKeys.Event(d.Event, d.Property!);

    /// <summary>A trait's value as a number (a JSON number, or a string that holds one), or null.</summary>
    public static double? TraitNumber(AccountState state, string trait) => state.Traits.TryGetValue(trait, out var value) ? AsNumber(value) : null;

    /// <summary>A numeric value from a trait, or the latest value of an event property (of one event, or of any).</summary>
    public static double? MetricValue(AccountState state, string source, string? eventName, string property)
    {
        if (source == MetricSources.Trait) return TraitNumber(state, property);
        if (eventName is not null) return state.Latest.TryGetValue(MetricKeys.Event(eventName, property), out var p) ? p.Value : null;
        MetricPoint? newest = null;
        foreach (var (key, point) in state.Latest)
        {
            if (MetricKeys.IsOfProperty(key, property) && (newest is null || point.At > newest.Value.At)) newest = point;
        }
        return newest?.Value;
    }

    private static double? AsNumber(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    public static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;
}
