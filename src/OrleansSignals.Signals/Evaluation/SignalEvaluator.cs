using Npgsql;
using OrleansSignals.Signals.Definitions;

namespace OrleansSignals.Signals.Evaluation;

/// <summary>
/// Runs one definition as one set-based statement over the workspace's data and stores what matched in <c>signals</c>
/// (the one writer of that table). An occurrence is left out when the same subject already has one of that type within
/// the definition's window before the cutoff, and the unique dedup key (type, subject, window period) makes a rerun
/// or a concurrent run of the same period store nothing twice.
/// </summary>
public static class SignalEvaluator
{
    /// <summary>
    /// A random UUID whose first 48 bits are the current Unix time in milliseconds (the layout of UUIDv7, which
    /// PostgreSQL 15 cannot generate). Together with inserting in subject order, each index of <c>signals</c> is
    /// written near its right edge instead of at random pages: storing 854k occurrences of one definition took 24 s
    /// instead of 35 s (docs/benchmarks.md, "Signal pipeline"). The ids stay unique and unguessable (74 random bits).
    /// </summary>
    private const string TimeOrderedId =
        "encode(overlay(uuid_send(gen_random_uuid()) placing substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), 'hex')::uuid";

    /// <param name="asOf">The run's cutoff: the window is [asOf - time_window_days, asOf).</param>
    /// <param name="insightSince">For source <c>insight</c>: the previous run's cutoff (triggers after it count).</param>
    public static async Task<EvaluationResult> EvaluateAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string workspaceId, SignalDefinition d, Guid runId,
        DateTimeOffset asOf, DateTimeOffset insightSince, CancellationToken cancellationToken)
    {
        await using (var lockDefinition = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", connection, tx))
        {
            // Two runs of one workspace never evaluate the same definition at once (the dedup check reads what the other writes).
            lockDefinition.Parameters.Add(new() { Value = $"signal|{workspaceId}|{d.Type}" });
            await lockDefinition.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var command = new NpgsqlCommand($"""
            WITH {MatchedSql(d)},
            stored AS (
                INSERT INTO signals (id, workspace_id, type, account_id, person_id, value, detected_at, window_start, window_end, run_id, dedup_key)
                SELECT {TimeOrderedId}, $1, $6, m.account_id, m.person_id, m.n, $4, $3, $4, $7,
                       $6 || '|' || m.account_id || '|' || coalesce(m.person_id, '') || '|' || $8
                FROM matched m
                WHERE NOT EXISTS (
                    SELECT 1 FROM signals s
                    WHERE s.workspace_id = $1 AND s.type = $6 AND s.account_id = m.account_id AND s.person_id IS NOT DISTINCT FROM m.person_id
                      AND s.detected_at > $4 - make_interval(days => $9) AND s.detected_at <= $4)
                ORDER BY m.account_id, m.person_id
                ON CONFLICT (workspace_id, dedup_key) DO NOTHING
                RETURNING 1)
            SELECT (SELECT count(*) FROM matched)::int, (SELECT count(*) FROM stored)::int
            """, connection, tx);
        var windowStart = asOf.AddDays(-d.TimeWindowDays);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = d.EventName! });
        command.Parameters.Add(new() { Value = windowStart });
        command.Parameters.Add(new() { Value = asOf });
        command.Parameters.Add(new() { Value = d.ConditionValue });
        command.Parameters.Add(new() { Value = d.Type });
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = Period(asOf, d.TimeWindowDays).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        command.Parameters.Add(new() { Value = d.TimeWindowDays });
        command.Parameters.Add(new() { Value = insightSince });
        command.Parameters.Add(new() { Value = Pipeline.PipelineWords.Evaluate });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new EvaluationResult(reader.GetInt32(0), reader.GetInt32(1));
    }

    /// <summary>
    /// The CTEs <c>counts, subjects, matched</c> (account_id, person_id, n) of a definition: $1 workspace, $2 event
    /// name or insight key, $3 window start, $4 window end, $5 condition value, $10 (insight) triggers after; for
    /// <c>posthog</c>, $6 type, $7 run and $11 the step that asked (the rows PostHog answered, stored for the run:
    /// evaluate's over the run's window, score's over the window ending outcome_days earlier).
    /// </summary>
    public static string MatchedSql(SignalDefinition d)
    {
        var (opSql, holds) = SignalVocabulary.Operators[d.ConditionOperator];
        // Subjects without a single matching row count 0: they are matched only if 0 meets the condition, and then
        // the known subjects (accounts, or persons seen in events) are the base set.
        var zeroMatches = holds(0, d.ConditionValue);
        var person = d.Level == SignalVocabulary.Person;
        var counts = d.Source switch
        {
            SignalVocabulary.Events => $"""
                SELECT account_id, {(person ? "person_id" : "NULL::text")} AS person_id, count(*)::float8 AS n
                FROM events
                WHERE workspace_id = $1 AND event = $2 AND occurred_at >= $3 AND occurred_at < $4 {(person ? "AND person_id IS NOT NULL" : "")}
                GROUP BY 1, 2
                """,
            SignalVocabulary.Insight => """
                SELECT account_id, NULL::text AS person_id, count(*)::float8 AS n
                FROM history
                WHERE workspace_id = $1 AND type = 'insight.triggered' AND key = $2 AND recorded_at > $10 AND recorded_at <= $4
                GROUP BY 1, 2
                """,
            // PostHog's answer for this run, as stored just before in the same transaction ($6 type, $7 run, $11 step).
            SignalVocabulary.PostHog => $"""
                SELECT r->>0 AS account_id, {(person ? "nullif(r->>1, '')" : "NULL::text")} AS person_id, sum((r->>2)::float8) AS n
                FROM posthog_results p CROSS JOIN LATERAL jsonb_array_elements(p.results) r
                WHERE p.run_id = $7 AND p.type = $6 AND p.step = $11 AND coalesce(r->>0, '') <> '' {(person ? "AND coalesce(r->>1, '') <> ''" : "")}
                GROUP BY 1, 2
                """,
            _ => throw new InvalidOperationException($"Source '{d.Source}' is not evaluated here."),
        };
        var subjects = !zeroMatches
            ? "SELECT account_id, person_id, n FROM counts"
            : person
                ? """
                  SELECT p.account_id, p.person_id, coalesce(c.n, 0) AS n
                  FROM (SELECT DISTINCT account_id, person_id FROM events WHERE workspace_id = $1 AND person_id IS NOT NULL) p
                  LEFT JOIN counts c ON c.account_id = p.account_id AND c.person_id = p.person_id
                  """
                : """
                  SELECT a.account_id, NULL::text AS person_id, coalesce(c.n, 0) AS n
                  FROM accounts a LEFT JOIN counts c ON c.account_id = a.account_id
                  WHERE a.workspace_id = $1
                  """;

        return $"""
            counts AS ({counts}),
            subjects AS ({subjects}),
            matched AS (SELECT account_id, person_id, n FROM subjects WHERE n {opSql} $5)
            """;
    }

    /// <summary>The window period a cutoff falls in: periods of the definition's window, counted from 1970-01-01 UTC.</summary>
    public static long Period(DateTimeOffset asOf, int windowDays) =>
        (long)Math.Floor((asOf.UtcDateTime - DateTime.UnixEpoch).TotalDays) / windowDays;
}
