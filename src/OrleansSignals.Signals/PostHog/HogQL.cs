using System.Globalization;
using OrleansSignals.Signals.Definitions;

namespace OrleansSignals.Signals.PostHog;

/// <summary>
/// The HogQL this product sends. User text (event names, distinct ids, the window, the threshold) only ever travels
/// as placeholder values; the text itself is built from fixed pieces, the operator's fixed symbol, integers, and an
/// account property name checked against a strict pattern when the integration was set.
/// </summary>
public static class HogQL
{
    private static readonly IReadOnlyDictionary<string, string> Operators = new Dictionary<string, string>
    {
        ["gt"] = ">", ["gte"] = ">=", ["lt"] = "<", ["lte"] = "<=", ["eq"] = "=", ["neq"] = "!=",
    };

    /// <summary>
    /// One page of a definition's counts over [windowStart, windowEnd): rows (account_id, distinct_id, n), distinct_id
    /// empty for account level. When zero events meet the condition, every subject's count is asked for (no HAVING):
    /// subjects without a single event are then taken from this product's accounts, as for the events source.
    /// </summary>
    public static HogQLQuery Counts(SignalDefinition d, PostHogIntegration p, DateTimeOffset windowStart, DateTimeOffset windowEnd, int limit, int offset)
    {
        var account = p.AccountProperty is { } property ? $"toString(person.properties.{property})" : $"toString($group_{p.AccountGroupIndex ?? 0})";
        var person = d.Level == SignalVocabulary.Person;
        var zeroMatches = SignalVocabulary.Operators[d.ConditionOperator].Holds(0, d.ConditionValue);
        var query = $"""
            SELECT {account} AS account_id, {(person ? "distinct_id" : "''")} AS subject_distinct_id, count() AS n
            FROM events
            WHERE event = {"{event_name}"} AND timestamp >= toDateTime({"{window_start}"}, 'UTC') AND timestamp < toDateTime({"{window_end}"}, 'UTC')
              AND {account} != ''
            GROUP BY account_id, subject_distinct_id
            {(zeroMatches ? "" : $"HAVING n {Operators[d.ConditionOperator]} {"{condition_value}"}")}
            ORDER BY account_id, subject_distinct_id
            LIMIT {limit.ToString(CultureInfo.InvariantCulture)} OFFSET {offset.ToString(CultureInfo.InvariantCulture)}
            """;
        var values = new Dictionary<string, object>
        {
            ["event_name"] = d.EventName!,
            ["window_start"] = Format(windowStart),
            ["window_end"] = Format(windowEnd),
        };
        if (!zeroMatches) values["condition_value"] = d.ConditionValue;
        return new HogQLQuery(query, values);
    }

    /// <summary>The PostHog persons (uuid) of these distinct ids; ids no person has are simply absent.</summary>
    public static HogQLQuery Persons(IReadOnlyCollection<string> distinctIds) => new($"""
        SELECT distinct_id, person_id
        FROM person_distinct_ids
        WHERE has({"{distinct_ids}"}, distinct_id)
        LIMIT {distinctIds.Count.ToString(CultureInfo.InvariantCulture)}
        """, new Dictionary<string, object> { ["distinct_ids"] = distinctIds.ToArray() });

    /// <summary>ClickHouse's DateTime text, read as UTC by toDateTime(..., 'UTC').</summary>
    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
