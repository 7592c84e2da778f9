using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrleansSignals.Signals.Definitions;
using OrleansSignals.Signals.PostHog;
using OrleansSignals.Signals.Scoring;

namespace OrleansSignals.Signals.Pipeline;

/// <summary>The score step: one checkpointed aggregate row per definition, whichever its source.</summary>
public sealed partial class PipelineRunner
{
    /// <summary>Scores every active definition and every agent candidate, one checkpointed aggregate row each; promotes candidates that are significant.</summary>
    private async Task<bool> ScoreAsync(PipelineRun run, Slice slice, Stopwatch watch, CancellationToken cancellationToken)
    {
        var settings = await scoring.GetAsync(run.WorkspaceId, cancellationToken);
        var all = await definitions.ListAsync(run.WorkspaceId, activeOnly: false, cancellationToken);
        var scored = await ScoredTypesAsync(run.Id, cancellationToken);
        foreach (var definition in all.Where(d => (d.IsActive || d.Origin == SignalVocabulary.Agent) && !scored.Contains(d.Type)))
        {
            if (!slice.TryTakeUnit()) return false;
            await RenewAsync(run, cancellationToken);
            await ScoreOneAsync(run, definition, settings, cancellationToken);
        }
        var failedScores = await FailedScoresAsync(run.Id, cancellationToken);
        var counts = new Dictionary<string, long>
        {
            ["scored"] = (await ScoredTypesAsync(run.Id, cancellationToken)).Count - failedScores,
            ["failed"] = failedScores,
            ["promoted"] = await PromotedAsync(run.Id, cancellationToken),
        };
        await using var done = await dataSource.OpenConnectionAsync(cancellationToken);
        await PipelineRunStore.CompleteStepAsync(done, null, run.Id, PipelineWords.Score, counts, watch.ElapsedMilliseconds, cancellationToken);
        return true;
    }

    private async Task ScoreOneAsync(PipelineRun run, SignalDefinition definition, ScoringSettings? settings, CancellationToken cancellationToken)
    {
        PostHogCounts? fetched = null;
        var posthogStep = PipelineWords.Score;
        if (definition.Source == SignalVocabulary.PostHog)
        {
            if (settings is null && await EvaluatedByPostHogAsync(run.Id, definition.Type, cancellationToken))
            {
                // Without an outcome the scored window is the run's own: evaluate's answer is read again rather than asked twice.
                posthogStep = PipelineWords.Evaluate;
            }
            else
            {
                // Asked before the transaction opens (as evaluation does): no transaction waits on PostHog.
                try
                {
                    fetched = await posthog.FetchAsync(run.WorkspaceId, definition, SignalScorer.WindowEnd(run.AsOf, settings),
                        () => RenewAsync(run, cancellationToken), cancellationToken);
                }
                catch (PostHogException ex)
                {
                    // Down, timed out, refused, rate limit used up, or not configured: this score fails with why; the rest are scored.
                    LogScoreFailed(ex, run.WorkspaceId, definition.Type);
                    await using var failed = await dataSource.OpenConnectionAsync(cancellationToken);
                    await SignalScorer.RecordFailureAsync(failed, run.WorkspaceId, definition.Type, run.Id, run.AsOf, ex.Message, cancellationToken);
                    return;
                }
            }
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            await LimitAsync(connection, tx, cancellationToken);
            if (fetched is not null)
                await PostHogResults.InsertAsync(connection, tx, run.WorkspaceId, run.Id, definition.Type, PipelineWords.Score, fetched, cancellationToken);
            var aggregate = await SignalScorer.ScoreAsync(connection, tx, run.WorkspaceId, definition, run.Id, run.AsOf, settings, posthogStep, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            if (aggregate.Promoted) LogPromoted(run.WorkspaceId, definition.Type, aggregate.Lift!.Value, aggregate.PValue!.Value, aggregate.Matched);
        }
        catch (PostgresException ex)
        {
            // Like evaluation: one definition's failure is recorded with its error and skipped; the rest are scored.
            LogScoreFailed(ex, run.WorkspaceId, definition.Type);
            await using var fresh = await dataSource.OpenConnectionAsync(cancellationToken);
            await SignalScorer.RecordFailureAsync(fresh, run.WorkspaceId, definition.Type, run.Id, run.AsOf,
                ex.SqlState == PostgresErrorCodes.QueryCanceled ? $"timed out after {options.Value.DefinitionTimeout.TotalSeconds:0} s" : ex.MessageText,
                cancellationToken);
        }
    }

    private async Task<bool> EvaluatedByPostHogAsync(Guid runId, string type, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await PostHogResults.StoredAsync(connection, runId, type, PipelineWords.Evaluate, cancellationToken);
    }

    private async Task<HashSet<string>> ScoredTypesAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT type FROM signal_aggregates WHERE run_id = $1");
        command.Parameters.Add(new() { Value = runId });
        var types = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) types.Add(reader.GetString(0));
        return types;
    }

    private async Task<long> FailedScoresAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM signal_aggregates WHERE run_id = $1 AND error IS NOT NULL");
        command.Parameters.Add(new() { Value = runId });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<long> PromotedAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM signal_promotions WHERE run_id = $1");
        command.Parameters.Add(new() { Value = runId });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(LogLevel.Information, "{Workspace} candidate {Type} promoted: lift {Lift}, p {PValue}, {Matched} accounts")]
    private partial void LogPromoted(string workspace, string type, double lift, double pValue, int matched);

    [LoggerMessage(LogLevel.Warning, "{Workspace} signal {Type} could not be scored and was skipped")]
    private partial void LogScoreFailed(Exception ex, string workspace, string type);
}
