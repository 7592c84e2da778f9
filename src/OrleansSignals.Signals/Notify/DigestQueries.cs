using Npgsql;
using OrleansSignals.Signals.Pipeline;
using OrleansSignals.Signals.Scoring;
using OrleansSignals.Storage;

namespace OrleansSignals.Signals.Notify;

/// <summary>Reads what a run's digest says: the run's own occurrences (never a new evaluation) and its scores beside the previous run's.</summary>
public sealed class DigestQueries(NpgsqlDataSource dataSource, PipelineScheduleStore schedules)
{
    public async Task<int> NewSignalsAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM signals WHERE run_id = $1");
        command.Parameters.Add(new() { Value = runId });
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<Digest> BuildAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var schedule = await schedules.GetAsync(run.WorkspaceId, cancellationToken);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(run.AsOf, zone).DateTime);
        var groups = await GroupsAsync(run, cancellationToken);
        return new Digest(await WorkspaceNameAsync(run.WorkspaceId, cancellationToken), date, run.AsOf, groups.Sum(g => g.Occurrences), groups,
            await ConversionsAsync(run, cancellationToken));
    }

    private async Task<string> WorkspaceNameAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT name FROM workspaces WHERE id = $1");
        command.Parameters.Add(new() { Value = workspaceId });
        return await command.ExecuteScalarAsync(cancellationToken) as string ?? workspaceId;
    }

    /// <summary>By type (most occurrences first), each with its accounts ranked by occurrences, the first few named.</summary>
    private async Task<List<DigestGroup>> GroupsAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH per AS (
                SELECT type, account_id, count(*)::int AS n FROM signals WHERE run_id = $1 GROUP BY type, account_id),
            ranked AS (
                SELECT type, account_id, n, row_number() OVER (PARTITION BY type ORDER BY n DESC, account_id) AS rank,
                       sum(n) OVER (PARTITION BY type)::int AS total, count(*) OVER (PARTITION BY type)::int AS accounts
                FROM per)
            SELECT r.type, coalesce(d.name, r.type), r.total, r.accounts, r.account_id, r.n
            FROM ranked r LEFT JOIN signal_definitions d ON d.workspace_id = $2 AND d.type = r.type
            WHERE r.rank <= $3
            ORDER BY r.total DESC, r.type, r.rank
            """);
        command.Parameters.Add(new() { Value = run.Id });
        command.Parameters.Add(new() { Value = run.WorkspaceId });
        command.Parameters.Add(new() { Value = Digest.AccountsPerType });
        var groups = new List<DigestGroup>();
        List<(string, int)> accounts = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var type = reader.GetString(0);
            if (groups.Count == 0 || groups[^1].Type != type)
            {
                accounts = [];
                groups.Add(new DigestGroup(type, reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3), accounts));
            }
            accounts.Add((reader.GetString(4), reader.GetInt32(5)));
        }
        return groups;
    }

    /// <summary>Each active definition scored in this run, beside its score in the latest earlier run (the two latest aggregates).</summary>
    private async Task<List<ConversionChange>> ConversionsAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT a.type, d.name, a.matched, a.matched_converted::float8 / nullif(a.matched, 0), p.run_id IS NOT NULL,
                   p.matched_converted::float8 / nullif(p.matched, 0), a.outcome_event, a.outcome_trait::text, a.outcome_days,
                   p.run_id IS NOT NULL AND (a.outcome_event, a.outcome_trait, a.outcome_days) IS DISTINCT FROM (p.outcome_event, p.outcome_trait, p.outcome_days)
            FROM signal_aggregates a
            JOIN signal_definitions d ON d.workspace_id = a.workspace_id AND d.type = a.type AND d.is_active
            LEFT JOIN LATERAL (
                SELECT run_id, matched, matched_converted, outcome_event, outcome_trait, outcome_days FROM signal_aggregates p
                WHERE p.workspace_id = a.workspace_id AND p.type = a.type AND p.as_of < a.as_of AND p.error IS NULL
                ORDER BY p.as_of DESC LIMIT 1) p ON true
            WHERE a.run_id = $1 AND a.error IS NULL
            ORDER BY a.type
            """);
        command.Parameters.Add(new() { Value = run.Id });
        var list = new List<ConversionChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            double? At(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
            var outcome = ScoringSettings.Describe(reader.IsDBNull(6) ? null : reader.GetString(6),
                WireJson.Deserialize<TraitOutcome>(reader.IsDBNull(7) ? null : reader.GetString(7)), reader.IsDBNull(8) ? null : reader.GetInt32(8));
            list.Add(new ConversionChange(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), At(3), reader.GetBoolean(4), At(5), outcome, reader.GetBoolean(9)));
        }
        return list;
    }
}
