using Npgsql;
using NpgsqlTypes;
using OrleansSignals.Storage;

namespace OrleansSignals.Signals.Scoring;

/// <summary>The one writer of <c>signal_scoring</c>; reads of <c>signal_aggregates</c>.</summary>
public sealed class ScoringStore(NpgsqlDataSource dataSource)
{
    public async Task<ScoringSettings?> GetAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT outcome_event, outcome_trait::text, outcome_days, min_support FROM signal_scoring WHERE workspace_id = $1");
        command.Parameters.Add(new() { Value = workspaceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new ScoringSettings(
                reader.IsDBNull(0) ? null : reader.GetString(0), WireJson.Deserialize<TraitOutcome>(reader.IsDBNull(1) ? null : reader.GetString(1)),
                reader.GetInt32(2), reader.GetInt32(3))
            : null;
    }

    public async Task SetAsync(string workspaceId, ScoringSettings settings, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO signal_scoring (workspace_id, outcome_event, outcome_trait, outcome_days, min_support) VALUES ($1, $2, $3::jsonb, $4, $5)
            ON CONFLICT (workspace_id) DO UPDATE SET outcome_event = excluded.outcome_event, outcome_trait = excluded.outcome_trait,
                outcome_days = excluded.outcome_days,
                min_support = excluded.min_support, updated_at = now()
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = (object?)settings.OutcomeEvent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)WireJson.Serialize(settings.OutcomeTrait) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = settings.OutcomeDays });
        command.Parameters.Add(new() { Value = settings.MinSupport });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Each definition's latest score (or only those of one type, newest first, up to 100).</summary>
    public async Task<IReadOnlyList<SignalAggregate>> LatestAsync(string workspaceId, string? type, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT * FROM (
                SELECT DISTINCT ON (CASE WHEN $2::text IS NULL THEN a.type ELSE a.run_id::text END)
                       a.type, a.run_id, a.as_of, a.outcome_event, a.outcome_trait::text, a.outcome_days, a.matched, a.matched_converted, a.rest, a.rest_converted,
                       a.lift, a.lift_low, a.lift_high, a.z, a.p_value, p.run_id IS NOT NULL AS promoted, a.error
                FROM signal_aggregates a
                LEFT JOIN signal_promotions p ON p.workspace_id = a.workspace_id AND p.type = a.type AND p.run_id = a.run_id
                WHERE a.workspace_id = $1 AND ($2::text IS NULL OR a.type = $2)
                ORDER BY CASE WHEN $2::text IS NULL THEN a.type ELSE a.run_id::text END, a.as_of DESC, a.created_at DESC) s
            ORDER BY type, as_of DESC
            LIMIT 100
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = (object?)type ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        var list = new List<SignalAggregate>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            int? I(int i) => reader.IsDBNull(i) ? null : reader.GetInt32(i);
            double? D(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
            string? S(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var (matched, mc, rest, rc) = (reader.GetInt32(6), I(7), I(8), I(9));
            list.Add(new SignalAggregate(reader.GetString(0), reader.GetGuid(1), reader.GetFieldValue<DateTimeOffset>(2),
                S(3), WireJson.Deserialize<TraitOutcome>(S(4)), I(5), matched, mc, rest, rc,
                mc is { } c1 && matched > 0 ? (double)c1 / matched : null, rc is { } c2 && rest is > 0 ? (double)c2 / rest.Value : null,
                D(10), D(11), D(12), D(13), D(14), reader.GetBoolean(15), S(16)));
        }
        return list;
    }
}
