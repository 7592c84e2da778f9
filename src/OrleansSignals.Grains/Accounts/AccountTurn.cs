using OrleansSignals.Storage;
using System.Globalization;
using System.Text.Json;
using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Insights;
using OrleansSignals.Grains.Workspaces;

namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// One turn of an account, as a pure function: applies events and traits to the state, re-evaluates
/// every insight and the health score at <c>now</c>, and returns the transitions it noticed.
/// </summary>
public static class AccountTurn
{
    /// <summary>However long the windows, a state keeps at least this much event history.</summary>
    public const int MinRetentionDays = 30;

    /// <summary>Without a time-based rule due sooner, an account is re-scored at least this often (recency decays).</summary>
    public static readonly TimeSpan MaxEvaluationInterval = TimeSpan.FromDays(1);

    public const int MaxSeriesPoints = 1000;

    /// <param name="cause">What made this turn (see <see cref="TransitionId.Derive"/>); with the account's key it fixes the transitions' ids.</param>
    public static List<Transition> Run(
        AccountState state,
        WorkspaceConfig config,
        IReadOnlyList<IncomingEvent> events,
        IReadOnlyDictionary<string, JsonElement>? traits,
        DateTimeOffset now,
        (string WorkspaceId, string AccountId, string Cause) cause)
    {
        var noticed = new List<(string Type, string? Key, string? Old, string? New, DateTimeOffset At, string? Detail)>();
        var derived = ConfigFacts.Of(config);
        MetricKeys.Upgrade(state, derived.MetricKeysRead);
        var watched = derived.WatchedSeries;
        foreach (var e in events.Count > 1 ? events.OrderBy(e => e.Timestamp) : (IEnumerable<IncomingEvent>)events)
        {
            if (config.LifecycleEvents.Contains(e.Event))
            {
                var previous = state.LastSeen.TryGetValue(e.Event, out var seen) ? Iso.Format(seen) : null;
                noticed.Add((EventTypes.LifecycleEvent, e.Event, previous, Iso.Format(e.Timestamp), e.Timestamp, e.EventId));
            }
            Record(state, e, watched);
        }
        if (traits is not null)
        {
            state.Traits = new Dictionary<string, JsonElement>(traits);
            RecordTraits(state, watched, now);
        }
        Prune(state, derived.RetentionDays, watched, now);

        // An earlier due time still ahead is kept: evaluating then is at worst one turn too many, and a
        // stable next_due_at lets most updates skip the index (see RoundUpToMinute).
        DateTimeOffset? nextDue = state.NextDueAt is { } due && due > now ? due : now + MaxEvaluationInterval;
        foreach (var definition in config.Definitions)
        {
            var result = InsightEvaluator.Evaluate(definition, state, now);
            nextDue = InsightEvaluator.Earliest(nextDue, result.NextDue);
            var had = state.Insights.TryGetValue(definition.Key, out var old);
            if (had && old!.Active == result.Active) continue;
            if (had || result.Active)
            {
                noticed.Add((result.Active ? EventTypes.InsightTriggered : EventTypes.InsightResolved,
                    definition.Key, Bool(!result.Active), Bool(result.Active), now, null));
            }
            state.Insights[definition.Key] = new InsightStatus(result.Active, now);
        }
        // An insight whose definition was deleted is resolved (if it was active) and forgotten.
        if (state.Insights.Count > config.Definitions.Count || state.Insights.Keys.Any(k => !derived.DefinitionKeys.Contains(k)))
        {
            foreach (var key in state.Insights.Keys.Where(k => !derived.DefinitionKeys.Contains(k)).ToList())
            {
                if (state.Insights[key].Active) noticed.Add((EventTypes.InsightResolved, key, Bool(true), Bool(false), now, null));
                state.Insights.Remove(key);
            }
        }

        var score = HealthScorer.Score(config.HealthModel, state, now);
        state.HealthScore = score;
        if (state.RecordedHealthScore is not { } recorded || Math.Abs(score - recorded) >= config.HealthModel.MinChange)
        {
            if (state.RecordedHealthScore != score)
            {
                noticed.Add((EventTypes.HealthScoreChanged, null, state.RecordedHealthScore?.ToString(CultureInfo.InvariantCulture),
                    score.ToString(CultureInfo.InvariantCulture), now, null));
            }
            state.RecordedHealthScore = score;
        }

        state.ConfigVersion = config.Version;
        state.UpdatedAt = now;
        state.NextDueAt = nextDue is { } next ? RoundUpToMinute(next) : null;
        return noticed.ConvertAll(n => new Transition(
            TransitionId.Derive(cause.WorkspaceId, cause.AccountId, cause.Cause, n.Type, n.Key, n.Detail, now), n.Type, n.Key, n.Old, n.New, score, n.At));
    }

    /// <summary>
    /// Due times are kept to the minute (rounded up, so nothing is evaluated early): then most turns leave
    /// the indexed <c>next_due_at</c> column as it was, and PostgreSQL can update the row in place (HOT).
    /// </summary>
    public static DateTimeOffset RoundUpToMinute(DateTimeOffset at)
    {
        var ticks = (at.UtcTicks + TimeSpan.TicksPerMinute - 1) / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static void Record(AccountState state, IncomingEvent e, IReadOnlySet<string> watched)
    {
        if (!state.LastSeen.TryGetValue(e.Event, out var seen) || e.Timestamp > seen) state.LastSeen[e.Event] = e.Timestamp;
        if (state.LastEventAt is null || e.Timestamp > state.LastEventAt) state.LastEventAt = e.Timestamp;
        EventWindow.Add(HoursOf(state, e.Event), e.Timestamp);
        if (e.NumericProperties is null) return;
        foreach (var (property, value) in e.NumericProperties)
        {
            var key = MetricKeys.Event(e.Event, property);
            var point = new MetricPoint(e.Timestamp, value);
            if (state.Latest.TryGetValue(key, out var latest) ? point.At >= latest.At : state.Latest.Count < AccountState.MaxLatestKeys)
                state.Latest[key] = point;
            if (watched.Contains(key)) AddPoint(state, key, point);
            var anyEventKey = MetricKeys.Event(null, property);
            if (watched.Contains(anyEventKey)) AddPoint(state, anyEventKey, point);
        }
    }

    /// <summary>Every write of the traits is one observation of each numeric trait an anomaly watches.</summary>
    private static void RecordTraits(AccountState state, IReadOnlySet<string> watched, DateTimeOffset now)
    {
        foreach (var key in watched)
        {
            if (MetricKeys.TraitOf(key) is { } trait && InsightEvaluator.TraitNumber(state, trait) is { } value)
                AddPoint(state, key, new MetricPoint(now, value));
        }
    }

    private static List<HourCount> HoursOf(AccountState state, string name)
    {
        if (!state.Hours.TryGetValue(name, out var hours)) state.Hours[name] = hours = [];
        return hours;
    }

    private static void AddPoint(AccountState state, string key, MetricPoint point)
    {
        if (!state.Series.TryGetValue(key, out var points)) state.Series[key] = points = [];
        var i = points.Count;
        while (i > 0 && points[i - 1].At > point.At) i--;
        points.Insert(i, point);
        if (points.Count > MaxSeriesPoints) points.RemoveAt(0);
    }


    /// <summary>How many days of hourly counts the workspace's rules can look at.</summary>
    public static int RetentionDays(WorkspaceConfig config)
    {
        var days = MinRetentionDays;
        foreach (var d in config.Definitions) days = Math.Max(days, d.WindowDays ?? 0);
        foreach (var c in config.HealthModel.Components) days = Math.Max(days, c.Days ?? 0);
        return days;
    }

    private static void Prune(AccountState state, int retention, IReadOnlySet<string> watched, DateTimeOffset now)
    {
        foreach (var (name, hours) in state.Hours)
        {
            EventWindow.Prune(hours, now, retention);
            if (hours.Count == 0) state.Hours.Remove(name);
        }
        foreach (var (key, points) in state.Series)
        {
            if (!watched.Contains(key)) { state.Series.Remove(key); continue; }
            var from = now.AddDays(-retention);
            var drop = 0;
            while (drop < points.Count - 1 && points[drop].At < from) drop++;
            points.RemoveRange(0, drop);
        }
    }
}
