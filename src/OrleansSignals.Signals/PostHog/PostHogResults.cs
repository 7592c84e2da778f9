using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace OrleansSignals.Signals.PostHog;

/// <summary>
/// The one writer of <c>posthog_results</c>: what PostHog answered to a definition's query in a run, stored as it came
/// (audit first, then project), in the transaction that projects it: into occurrences (step <c>evaluate</c>, the run's
/// window) or into the definition's score (step <c>score</c>, the window ending <c>outcome_days</c> earlier).
/// </summary>
public static class PostHogResults
{
    public static async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string workspaceId, Guid runId, string type, string step, PostHogCounts counts,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO posthog_results (run_id, type, step, workspace_id, query, query_values, results, pages)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, connection, tx);
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = step });
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = counts.Query.Query });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(counts.Query.Values), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(counts.Rows), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = counts.Pages });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Whether PostHog's answer for this run, definition and step is stored.</summary>
    public static async Task<bool> StoredAsync(NpgsqlConnection connection, Guid runId, string type, string step, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM posthog_results WHERE run_id = $1 AND type = $2 AND step = $3)", connection);
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = step });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
