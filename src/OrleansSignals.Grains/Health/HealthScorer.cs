using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Insights;

namespace OrleansSignals.Grains.Health;

/// <summary>Scores an account 0-100 with its workspace's <see cref="HealthModel"/>.</summary>
public static class HealthScorer
{
    public static int Score(HealthModel model, AccountState state, DateTimeOffset now)
    {
        var score = model.Base;
        foreach (var c in model.Components) score += c.Weight * Fraction(c, state, now);
        return (int)Math.Round(Math.Clamp(score, 0, 100), MidpointRounding.AwayFromZero);
    }

    /// <summary>How much of its weight a component contributes, from 0 to 1.</summary>
    public static double Fraction(HealthComponent c, AccountState state, DateTimeOffset now)
    {
        switch (c.Type)
        {
            case HealthComponentTypes.Recency:
                var last = c.Event is null ? state.LastEventAt : state.LastSeen.TryGetValue(c.Event, out var at) ? at : null;
                if (last is null) return 0;
                var days = Math.Max(0, (now - last.Value).TotalDays);
                return Math.Max(0, 1 - days / c.Days!.Value);
            case HealthComponentTypes.Activity:
                var count = c.Event is null
                    ? state.Hours.Sum(h => EventWindow.Count(h.Value, now, c.Days!.Value))
                    : EventWindow.Count(state.Hours.GetValueOrDefault(c.Event), now, c.Days!.Value);
                return Math.Min(1, count / c.Target!.Value);
            case HealthComponentTypes.Insight:
                return state.Insights.TryGetValue(c.Insight!, out var status) && status.Active ? 1 : 0;
            case HealthComponentTypes.Metric:
                if (InsightEvaluator.MetricValue(state, c.Source!, c.Event, c.Property!) is not { } value) return 0;
                return Math.Clamp((value - c.Min!.Value) / (c.Max!.Value - c.Min.Value), 0, 1);
            default:
                return 0;
        }
    }
}
