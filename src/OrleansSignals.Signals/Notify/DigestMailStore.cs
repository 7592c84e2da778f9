using Npgsql;

namespace OrleansSignals.Signals.Notify;

/// <summary>
/// The one writer of <c>pipeline_digest_mails</c>: which recipients a run's digest goes to (planned once, so a
/// resumed run mails the same list) and where each stands. A recipient is marked sending before its SMTP
/// transaction and sent after it; a crash in between leaves it sending, and the resumed run sends it again.
/// </summary>
public sealed class DigestMailStore(NpgsqlDataSource dataSource)
{
    /// <summary>Plans the run's recipients unless it already has (a resumed run keeps its first list).</summary>
    public async Task PlanAsync(Guid runId, string workspaceId, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO pipeline_digest_mails (run_id, recipient, workspace_id, ordinal, status)
            SELECT $1, recipient, $2, ordinal, 'pending' FROM unnest($3::text[]) WITH ORDINALITY AS t(recipient, ordinal)
            WHERE NOT EXISTS (SELECT 1 FROM pipeline_digest_mails WHERE run_id = $1)
            ON CONFLICT (run_id, recipient) DO NOTHING
            """);
        command.Parameters.Add(new() { Value = runId });
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = recipients.ToArray() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DigestMail>> ListAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT recipient, status, attempts, error FROM pipeline_digest_mails WHERE run_id = $1 ORDER BY ordinal");
        command.Parameters.Add(new() { Value = runId });
        var list = new List<DigestMail>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            list.Add(new DigestMail(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        return list;
    }

    /// <summary>Written (and committed) before the SMTP transaction starts.</summary>
    public Task MarkSendingAsync(Guid runId, string recipient, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE pipeline_digest_mails SET status = 'sending', attempts = attempts + 1, updated_at = now() WHERE run_id = $1 AND recipient = $2",
            cancellationToken, runId, recipient);

    public Task MarkSentAsync(Guid runId, string recipient, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE pipeline_digest_mails SET status = 'sent', error = NULL, sent_at = now(), updated_at = now() WHERE run_id = $1 AND recipient = $2",
            cancellationToken, runId, recipient);

    /// <summary>The server refused this recipient for good (5xx): recorded, never retried.</summary>
    public Task MarkRefusedAsync(Guid runId, string recipient, string error, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE pipeline_digest_mails SET status = 'refused', error = $3, updated_at = now() WHERE run_id = $1 AND recipient = $2",
            cancellationToken, runId, recipient, error);

    /// <summary>The server did not take it this time (4xx, unreachable): the resumed run sends it again.</summary>
    public Task MarkPendingAsync(Guid runId, string recipient, string error, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE pipeline_digest_mails SET status = 'pending', error = $3, updated_at = now() WHERE run_id = $1 AND recipient = $2",
            cancellationToken, runId, recipient, error);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new() { Value = p });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
