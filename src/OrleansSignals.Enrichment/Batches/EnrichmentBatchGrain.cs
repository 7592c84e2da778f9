using Microsoft.Extensions.Logging;

namespace OrleansSignals.Enrichment.Batches;

/// <summary>
/// One activation per batch runs <see cref="BatchRunner"/> off the grain's scheduler and watches it with a keep-alive
/// timer (restarting a run that failed, e.g. while PostgreSQL was away). An Orleans reminder (ADO.NET, in PostgreSQL)
/// brings the grain back on another silo when its silo is lost; deactivation lets calls in flight finish and be
/// recorded before the activation goes, so the next activation repeats no succeeded step.
/// </summary>
public sealed partial class EnrichmentBatchGrain(BatchRunner runner, ILogger<EnrichmentBatchGrain> logger) : Grain, IEnrichmentBatchGrain, IRemindable
{
    private const string ReminderName = "enrichment-batch";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan WatchPeriod = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _cancel = new();
    private Task<bool>? _run;
    private IGrainTimer? _watch;

    public async Task StartAsync()
    {
        if (await this.GetReminder(ReminderName) is null) await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
        EnsureRunning();
    }

    public async Task CancelAsync()
    {
        _cancel.Cancel();
        await WaitForRunAsync(CancellationToken.None);
        await FinishedAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        EnsureRunning();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        await WaitForRunAsync(cancellationToken);
    }

    private void EnsureRunning()
    {
        _watch ??= this.RegisterGrainTimer(WatchAsync, new GrainTimerCreationOptions(WatchPeriod, WatchPeriod) { KeepAlive = true, Interleave = true });
        if (_run is { IsCompleted: false } || _cancel.IsCancellationRequested || _stopping.IsCancellationRequested) return;
        var id = this.GetPrimaryKey();
        _run = Task.Run(() => runner.RunAsync(id, _stopping.Token, _cancel.Token));
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        if (_run is not { IsCompleted: true } run) return;
        if (run.IsCompletedSuccessfully && run.Result)
        {
            await FinishedAsync();
            return;
        }
        if (run.Exception is { } ex) LogRunFailed(ex.GetBaseException(), this.GetPrimaryKey());
        _run = null;
        EnsureRunning();
    }

    /// <summary>The batch is final: nothing needs to bring this grain back.</summary>
    private async Task FinishedAsync()
    {
        _watch?.Dispose();
        _watch = null;
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        this.DeactivateOnIdle();
    }

    private async Task WaitForRunAsync(CancellationToken cancellationToken)
    {
        if (_run is null) return;
        try
        {
            await _run.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            // Cancelled, or deactivation could not wait longer: the next activation resumes from PostgreSQL.
        }
        catch (Exception ex)
        {
            LogRunFailed(ex, this.GetPrimaryKey());
        }
    }

    [LoggerMessage(LogLevel.Warning, "Enrichment batch {Batch}: the run failed; it restarts")]
    private partial void LogRunFailed(Exception ex, Guid batch);
}
