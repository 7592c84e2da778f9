using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using OrleansSignals.Signals.Delivery;
using OrleansSignals.Signals.Definitions;
using OrleansSignals.Signals.Evaluation;
using OrleansSignals.Signals.Notify;
using OrleansSignals.Signals.PostHog;
using OrleansSignals.Signals.Scoring;

namespace OrleansSignals.Signals.Pipeline;

/// <summary>
/// Works a workspace's runs: claims the next (a resumed one first), does each step not yet completed in order, and
/// gives the run back when its time budget is spent. Every unit of work (a definition, a delivery) is recorded in
/// the transaction that does it, so a run cut short anywhere resumes with nothing done twice.
/// </summary>
public sealed partial class PipelineRunner(
    NpgsqlDataSource dataSource,
    PipelineRunStore runs,
    SignalDefinitionStore definitions,
    SignalDeliverer deliverer,
    DigestNotifier notifier,
    ScoringStore scoring,
    PostHogSource posthog,
    IOptions<PipelineOptions> options,
    ILogger<PipelineRunner> logger)
{
    /// <summary>Works runs of the workspace until none is left or the time budget is spent.</summary>
    public async Task RunAsync(string workspaceId, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var slice = new Slice(o.TimeBudget);
        while (await runs.ClaimAsync(workspaceId, o.Lease, cancellationToken) is { } run)
        {
            LogClaimed(workspaceId, run.Id, run.Attempts);
            try
            {
                if (!await WorkAsync(run, slice, cancellationToken))
                {
                    await runs.ReleaseAsync(run.Id, cancellationToken);
                    return;
                }
                await runs.CompleteAsync(run.Id, cancellationToken);
                LogCompleted(workspaceId, run.Id);
            }
            catch (LeaseLostException)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRunError(ex, workspaceId, run.Id);
                await runs.RecordErrorAsync(run.Id, ex.Message, o.MaxAttempts, CancellationToken.None);
                return;
            }
        }
    }

    /// <summary>True when every step is completed; false when the slice ran out first.</summary>
    private async Task<bool> WorkAsync(PipelineRun run, Slice slice, CancellationToken cancellationToken)
    {
        var steps = await runs.StepsAsync(run.Id, cancellationToken);
        foreach (var step in steps.Where(s => s.Status is not (PipelineWords.Completed or PipelineWords.Skipped)))
        {
            await runs.StartStepAsync(run.Id, step.Step, cancellationToken);
            var watch = Stopwatch.StartNew();
            bool done;
            try
            {
                done = step.Step switch
                {
                    PipelineWords.Evaluate => await EvaluateAsync(run, slice, watch, cancellationToken),
                    PipelineWords.Score => await ScoreAsync(run, slice, watch, cancellationToken),
                    PipelineWords.Deliver => await deliverer.DeliverAsync(run, slice, () => RenewAsync(run, cancellationToken), watch, cancellationToken),
                    PipelineWords.Notify => await notifier.NotifyAsync(run, slice, () => RenewAsync(run, cancellationToken), watch, cancellationToken),
                    _ => throw new InvalidOperationException($"Unknown step '{step.Step}'."),
                };
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or LeaseLostException))
            {
                await runs.FailStepAsync(run.Id, step.Step, ex.Message, CancellationToken.None);
                await runs.AddStepTimeAsync(run.Id, step.Step, watch.ElapsedMilliseconds, CancellationToken.None);
                throw;
            }
            if (!done)
            {
                await runs.AddStepTimeAsync(run.Id, step.Step, watch.ElapsedMilliseconds, cancellationToken);
                return false;
            }
        }
        return true;
    }

    private async Task<bool> EvaluateAsync(PipelineRun run, Slice slice, Stopwatch watch, CancellationToken cancellationToken)
    {
        var active = await definitions.ListAsync(run.WorkspaceId, activeOnly: true, cancellationToken);
        var recorded = (await runs.DefinitionsAsync(run.Id, cancellationToken)).Select(d => d.Type).ToHashSet();
        var previous = await runs.PreviousCutoffAsync(run.WorkspaceId, run.Id, run.AsOf, cancellationToken);
        foreach (var definition in active.Where(d => !recorded.Contains(d.Type)))
        {
            if (!slice.TryTakeUnit()) return false;
            await RenewAsync(run, cancellationToken);
            await EvaluateOneAsync(run, definition, previous ?? run.AsOf.AddDays(-definition.TimeWindowDays), cancellationToken);
        }
        var outcomes = await runs.DefinitionsAsync(run.Id, cancellationToken);
        var counts = new Dictionary<string, long>
        {
            ["definitions"] = outcomes.Count,
            ["failed"] = outcomes.Count(d => d.Status == PipelineWords.Failed),
            ["matched"] = outcomes.Sum(d => (long)d.Matched),
            ["occurrences"] = outcomes.Sum(d => (long)d.Stored),
        };
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await PipelineRunStore.CompleteStepAsync(connection, null, run.Id, PipelineWords.Evaluate, counts, watch.ElapsedMilliseconds, cancellationToken);
        return true;
    }

    private async Task EvaluateOneAsync(PipelineRun run, SignalDefinition definition, DateTimeOffset insightSince, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        PostHogCounts? fetched = null;
        if (definition.Source == SignalVocabulary.PostHog)
        {
            // Asked before the transaction opens: no transaction waits on PostHog.
            try
            {
                fetched = await posthog.FetchAsync(run.WorkspaceId, definition, run.AsOf, () => RenewAsync(run, cancellationToken), cancellationToken);
            }
            catch (PostHogException ex)
            {
                LogDefinitionFailed(ex, run.WorkspaceId, definition.Type);
                await RecordFailedAsync(ex.Message);
                return;
            }
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var tx = await connection.BeginTransactionAsync(cancellationToken);
            await LimitAsync(connection, tx, cancellationToken);
            if (fetched is not null) await PostHogResults.InsertAsync(connection, tx, run.WorkspaceId, run.Id, definition.Type, PipelineWords.Evaluate, fetched, cancellationToken);
            var result = await SignalEvaluator.EvaluateAsync(connection, tx, run.WorkspaceId, definition, run.Id, run.AsOf, insightSince, cancellationToken);
            await PipelineRunStore.RecordDefinitionAsync(connection, tx, run.Id,
                new DefinitionOutcome(definition.Type, PipelineWords.Completed, result.Matched, result.Stored, watch.ElapsedMilliseconds, null), cancellationToken);
            await tx.CommitAsync(cancellationToken);
            LogEvaluated(run.WorkspaceId, definition.Type, result.Matched, result.Stored);
        }
        catch (PostgresException ex)
        {
            // This definition's query failed (timeout, bad data): recorded with its error and skipped; the rest run.
            var why = ex.SqlState == PostgresErrorCodes.QueryCanceled
                ? $"timed out after {options.Value.DefinitionTimeout.TotalSeconds:0} s"
                : ex.MessageText;
            LogDefinitionFailed(ex, run.WorkspaceId, definition.Type);
            await RecordFailedAsync(why);
        }

        async Task RecordFailedAsync(string why)
        {
            await using var fresh = await dataSource.OpenConnectionAsync(cancellationToken);
            await PipelineRunStore.RecordDefinitionAsync(fresh, null, run.Id,
                new DefinitionOutcome(definition.Type, PipelineWords.Failed, 0, 0, watch.ElapsedMilliseconds, why), cancellationToken);
        }
    }

    /// <summary>
    /// A definition's statement runs at most <see cref="PipelineOptions.DefinitionTimeout"/>, and its hash aggregates
    /// (a count per subject: up to one per person of the workspace) get <see cref="PipelineOptions.WorkMemMb"/> instead of
    /// the server's default 4 MB, with which they spill to disk (docs/benchmarks.md, "Signal pipeline").
    /// </summary>
    private async Task LimitAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken cancellationToken)
    {
        var o = options.Value;
        await using var limit = new NpgsqlCommand(
            $"SET LOCAL statement_timeout = {(long)o.DefinitionTimeout.TotalMilliseconds}; SET LOCAL work_mem = '{o.WorkMemMb}MB'", connection, tx);
        await limit.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task RenewAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        if (!await runs.RenewAsync(run.Id, run.Attempts, options.Value.Lease, cancellationToken)) throw new LeaseLostException();
    }

    [LoggerMessage(LogLevel.Information, "{Workspace} pipeline run {Run} claimed (attempt {Attempt})")]
    private partial void LogClaimed(string workspace, Guid run, int attempt);

    [LoggerMessage(LogLevel.Information, "{Workspace} pipeline run {Run} completed")]
    private partial void LogCompleted(string workspace, Guid run);

    [LoggerMessage(LogLevel.Warning, "{Workspace} pipeline run {Run} stopped on an error; it is resumed later")]
    private partial void LogRunError(Exception ex, string workspace, Guid run);

    [LoggerMessage(LogLevel.Information, "{Workspace} signal {Type}: {Matched} matched, {Stored} new")]
    private partial void LogEvaluated(string workspace, string type, int matched, int stored);

    [LoggerMessage(LogLevel.Warning, "{Workspace} signal {Type} failed and was skipped")]
    private partial void LogDefinitionFailed(Exception ex, string workspace, string type);
}
