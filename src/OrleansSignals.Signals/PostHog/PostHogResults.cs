using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace OrleansSignals.Signals.PostHog;

/// <summary>
/// The one writer of <c>posthog_results</c>: what PostHog answered to a definition's query in a run, stored as it came
/// (audit first, then project), in the transaction that projects it into occurrences.
/// </summary>
public static class PostHogResults
{
    public static async Task InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction tx, string workspaceId, Guid runId, string type, PostHogCounts counts, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO posthog_results (run_id, type, workspace_id, query, query_values, results, pages)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, connection, tx);
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = type });
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = counts.Query.Query });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(counts.Query.Values), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(counts.Rows), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = counts.Pages });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
