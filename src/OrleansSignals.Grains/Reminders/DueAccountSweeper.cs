using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrleansSignals.Grains.Accounts;

namespace OrleansSignals.Grains.Reminders;

/// <summary>
/// Re-evaluates a workspace's accounts whose <c>next_due_at</c> has passed: time-based insights flip, health decays,
/// and accounts of a workspace whose definitions changed are evaluated again, all without new events.
/// </summary>
public sealed partial class DueAccountSweeper(
    NpgsqlDataSource dataSource, IGrainFactory grains, TimeProvider time, IOptions<ReminderOptions> options, ILogger<DueAccountSweeper> logger)
{
    /// <summary>Re-evaluates the workspace's due accounts page by page until none is due or the time budget is spent; returns how many.</summary>
    public async Task<int> SweepAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var budget = Stopwatch.StartNew();
        var total = 0;
        while (budget.Elapsed < options.Value.SweepBudget && !cancellationToken.IsCancellationRequested)
        {
            var due = await DueAsync(workspaceId, options.Value.SweepPageSize, cancellationToken);
            if (due.Count == 0) break;
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
                async (key, _) =>
                {
                    try
                    {
                        await grains.GetAccountGrain(key).ReevaluateAsync(cancellationToken);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Still due: the next sweep tries again.
                        LogReevaluationFailed(ex, key);
                    }
                });
            total += due.Count;
            if (due.Count < options.Value.SweepPageSize) break;
        }
        if (total > 0) LogSwept(workspaceId, total, budget.ElapsedMilliseconds);
        return total;
    }

    /// <summary>
    /// Catches up accounts whose checkpoint has stayed behind their journal (an apply that failed after its events
    /// were stored, a checkpoint that kept failing): each is asked to apply its journal and checkpoint. Returns how many.
    /// </summary>
    public async Task<int> CatchUpStaleAsync(string workspaceId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT j.account_id FROM account_journal j
            LEFT JOIN accounts a ON a.workspace_id = j.workspace_id AND a.account_id = j.account_id
            WHERE j.workspace_id = $1 AND j.head > coalesce(a.position, 0) AND j.appended_at < now() - $2::interval
            LIMIT $3
            """);
        command.Parameters.Add(new() { Value = workspaceId });
        command.Parameters.Add(new() { Value = options.Value.CatchUpAfter });
        command.Parameters.Add(new() { Value = options.Value.SweepPageSize });
        var stale = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) stale.Add(AccountKey.For(workspaceId, reader.GetString(0)));
        }
        await Parallel.ForEachAsync(stale, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken }, async (key, _) =>
        {
            try
            {
                await grains.GetAccountGrain(key).CatchUpAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogReevaluationFailed(ex, key);
            }
        });
        if (stale.Count > 0) LogCaughtUp(workspaceId, stale.Count);
        return stale.Count;
    }

    private async Task<List<string>> DueAsync(string workspaceId, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT workspace_id, account_id FROM accounts WHERE workspace_id = $3 AND next_due_at <= $1 ORDER BY next_due_at LIMIT $2
            """);
        // The injected clock, not the database's: tests move time, and grains evaluate with the same clock.
        command.Parameters.Add(new() { Value = time.GetUtcNow() });
        command.Parameters.Add(new() { Value = limit });
        command.Parameters.Add(new() { Value = workspaceId });
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) keys.Add(AccountKey.For(reader.GetString(0), reader.GetString(1)));
        return keys;
    }

    [LoggerMessage(LogLevel.Information, "{Workspace} re-evaluated {Count} due accounts in {ElapsedMs} ms")]
    private partial void LogSwept(string workspace, int count, long elapsedMs);

    [LoggerMessage(LogLevel.Warning, "{Workspace} caught up {Count} accounts whose checkpoint stayed behind their journal")]
    private partial void LogCaughtUp(string workspace, int count);

    [LoggerMessage(LogLevel.Warning, "Re-evaluating {Key} failed; it stays due")]
    private partial void LogReevaluationFailed(Exception ex, string key);
}
