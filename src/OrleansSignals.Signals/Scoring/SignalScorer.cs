using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Signals.Definitions;
using OrleansSignals.Signals.Evaluation;
using OrleansSignals.Storage;

namespace OrleansSignals.Signals.Scoring;

/// <summary>
/// The score step's work for one definition, one set-based statement: the accounts its condition matched over the
/// window that ended <c>outcome_days</c> before the cutoff, and how many of them, and of the workspace's other
/// accounts, reached the outcome (an event, or a trait reaching a value) in the <c>outcome_days</c> after it. Without an outcome configured, only the
/// accounts matched over the window up to the cutoff. The matched accounts come from the evaluator's own CTEs, so a
/// <c>posthog</c> definition is scored on the PostHog answer stored for the run (its rows' accounts). Writes <c>signal_aggregates</c> and <c>signal_promotions</c>
/// (their one writer), in the caller's transaction.
/// </summary>
public static class SignalScorer
{
    public const double Significance = 0.05;

    /// <param name="posthogStep">For source <c>posthog</c>: which of the run's stored PostHog answers holds the matches
    /// over the scored window (score's own, or evaluate's when the windows are the same).</param>
    public static async Task<SignalAggregate> ScoreAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string workspaceId, SignalDefinition d, Guid runId, DateTimeOffset asOf,
        ScoringSettings? settings, string posthogStep, CancellationToken cancellationToken)
    {
        var end = WindowEnd(asOf, settings);
        await using var command = new NpgsqlCommand($"""
            WITH {SignalEvaluator.MatchedSql(d)},
            m AS (SELECT DISTINCT account_id FROM matched),
            conv AS ({ConvertedSql(settings)}),
            rest AS (SELECT account_id FROM accounts a WHERE a.workspace_id = $1 AND NOT EXISTS (SELECT 1 FROM m WHERE m.account_id = a.account_id))
            SELECT (SELECT count(*) FROM m)::int,
                   (SELECT count(*) FROM m JOIN conv USING (account_id))::int,
                   (SELECT count(*) FROM rest)::int,
                   (SELECT count(*) FROM rest JOIN conv USING (account_id))::int
            """, connection, tx);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = d.EventName! });
        command.Parameters.Add(new() { Value = end.AddDays(-d.TimeWindowDays) });
        command.Parameters.Add(new() { Value = end });
        command.Parameters.Add(new() { Value = d.ConditionValue });
        // $6, $7 and $11 as the evaluator's: where a posthog definition's stored answer is.
        command.Parameters.Add(new() { Value = d.Type });
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = (object?)settings?.OutcomeEvent ?? (object?)settings?.OutcomeTrait?.Name ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = asOf });
        command.Parameters.Add(new() { Value = end.AddDays(-d.TimeWindowDays) });
        command.Parameters.Add(new() { Value = posthogStep });
        command.Parameters.Add(new() { Value = (object?)settings?.OutcomeTrait?.Operand ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        int matched, matchedConverted, rest, restConverted;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (matched, matchedConverted, rest, restConverted) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3));
        }
        var test = settings is null ? null : new TwoProportionTest(matched, matchedConverted, rest, restConverted);
        var promote = test is { Lift: > 1, PValue: < Significance } && matched >= settings!.MinSupport
                      && d is { Origin: SignalVocabulary.Agent, IsActive: false };
        var aggregate = new SignalAggregate(d.Type, runId, asOf, settings?.OutcomeEvent, settings?.OutcomeTrait, settings?.OutcomeDays, matched,
            test is null ? null : matchedConverted, test is null ? null : rest, test is null ? null : restConverted,
            test?.Rate1, test?.Rate2, test?.Lift, test?.LiftInterval?.Low, test?.LiftInterval?.High, test?.Z, test?.PValue, promote);
        await InsertAsync(connection, tx, workspaceId, aggregate, cancellationToken);
        if (promote) await PromoteAsync(connection, tx, workspaceId, aggregate, cancellationToken);
        return aggregate;
    }

    /// <summary>
    /// The accounts that converted in the outcome window [<c>$4</c>, <c>$9</c>): that had the outcome event (<c>$8</c>), or
    /// whose trait <c>$8</c> changed to a value matching <c>$12</c> from one that did not. The one part of the statement
    /// that depends on the kind of outcome.
    /// </summary>
    private static string ConvertedSql(ScoringSettings? settings) => settings?.OutcomeTrait is { } trait
        ? $"""
          SELECT DISTINCT account_id FROM trait_changes
          WHERE workspace_id = $1 AND name = $8 AND changed_at >= $4 AND changed_at < $9
            AND {trait.MatchSql("value", "$12")} AND NOT coalesce({trait.MatchSql("old_value", "$12")}, false)
          """
        : "SELECT DISTINCT account_id FROM events WHERE workspace_id = $1 AND event = $8 AND occurred_at >= $4 AND occurred_at < $9";

    /// <summary>The end of the window a definition is scored over: <c>outcome_days</c> before the cutoff, so every matched
    /// account had the full <c>outcome_days</c> to convert; the cutoff itself without an outcome.</summary>
    public static DateTimeOffset WindowEnd(DateTimeOffset asOf, ScoringSettings? settings) =>
        settings is null ? asOf : asOf.AddDays(-settings.OutcomeDays);

    /// <summary>Records that a definition could not be scored in this run (its query failed, or PostHog did), so a resumed step does not retry it.</summary>
    public static Task RecordFailureAsync(NpgsqlConnection connection, string workspaceId, string type, Guid runId, DateTimeOffset asOf, string error,
        CancellationToken cancellationToken) =>
        InsertAsync(connection, null, workspaceId, new SignalAggregate(type, runId, asOf, null, null, null, 0, null, null, null, null, null, null, null, null, null, null, false, error),
            cancellationToken);

    private static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string workspaceId, SignalAggregate a, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO signal_aggregates (run_id, workspace_id, type, as_of, outcome_event, outcome_days, matched, matched_converted, rest, rest_converted,
                                           lift, lift_low, lift_high, z, p_value, error, outcome_trait)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::jsonb)
            ON CONFLICT (run_id, type) DO NOTHING
            """, connection, tx);
        command.Parameters.Add(new() { Value = a.RunId });
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = a.Type });
        command.Parameters.Add(new() { Value = a.AsOf });
        command.Parameters.Add(new() { Value = (object?)a.OutcomeEvent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)a.OutcomeDays ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = a.Matched });
        foreach (var v in new int?[] { a.MatchedConverted, a.Rest, a.RestConverted })
            command.Parameters.Add(new() { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        foreach (var v in new[] { a.Lift, a.LiftLow, a.LiftHigh, a.Z, a.PValue })
            command.Parameters.Add(new() { Value = (object?)v ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new() { Value = (object?)a.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)WireJson.Serialize(a.OutcomeTrait) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task PromoteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string workspaceId, SignalAggregate a, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            WITH p AS (
                UPDATE signal_definitions SET is_active = true, updated_at = now()
                WHERE workspace_id = $1 AND type = $2 AND origin = 'agent' AND NOT is_active
                RETURNING type)
            INSERT INTO signal_promotions (workspace_id, type, run_id, matched, lift, z, p_value)
            SELECT $1, type, $3, $4, $5, $6, $7 FROM p
            ON CONFLICT (workspace_id, type) DO UPDATE SET run_id = excluded.run_id, promoted_at = now(), matched = excluded.matched,
                lift = excluded.lift, z = excluded.z, p_value = excluded.p_value
            """, connection, tx);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = a.Type });
        command.Parameters.Add(new() { Value = a.RunId });
        command.Parameters.Add(new() { Value = a.Matched });
        command.Parameters.Add(new() { Value = a.Lift!.Value });
        command.Parameters.Add(new() { Value = a.Z!.Value });
        command.Parameters.Add(new() { Value = a.PValue!.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
