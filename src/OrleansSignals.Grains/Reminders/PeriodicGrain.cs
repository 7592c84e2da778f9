using Microsoft.Extensions.Logging;

namespace OrleansSignals.Grains.Reminders;

/// <summary>
/// A grain that does some work every <see cref="Interval"/>, on one silo of the cluster at a time (Orleans keeps one
/// activation). A grain timer gives the interval while the activation lives; an Orleans reminder (persisted in
/// PostgreSQL, at Orleans's minimum period of a minute) brings the activation back after a restart or a lost silo.
/// </summary>
public abstract partial class PeriodicGrain(ILogger logger) : Grain, IRemindable
{
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private IGrainTimer? _timer;

    protected abstract string ReminderName { get; }

    protected abstract TimeSpan Interval { get; }

    protected abstract Task TickAsync(CancellationToken cancellationToken);

    /// <summary>Work that is due once a minute, not every interval (the reminder's own tick).</summary>
    protected virtual Task OnReminderAsync() => Task.CompletedTask;

    /// <summary>Registers the reminder if it is not yet (idempotent) and starts the timer.</summary>
    protected async Task StartPeriodicAsync()
    {
        if (await this.GetReminder(ReminderName) is null) await this.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
        EnsureTimer();
    }

    /// <summary>Runs the work once as soon as the grain is free, besides the regular ticks.</summary>
    protected void TickSoon()
    {
        IGrainTimer? once = null;
        once = this.RegisterGrainTimer(async ct =>
        {
            try
            {
                await SafeTickAsync(ct);
            }
            finally
            {
                // Only now: disposing a timer cancels the token its running callback was given.
                once?.Dispose();
            }
        }, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        EnsureTimer();
        try
        {
            await OnReminderAsync();
        }
        catch (Exception ex)
        {
            LogTickFailed(ex, this.GetPrimaryKeyString());
        }
    }

    private void EnsureTimer() =>
        _timer ??= this.RegisterGrainTimer(SafeTickAsync, new GrainTimerCreationOptions(Interval, Interval) { KeepAlive = true });

    private async Task SafeTickAsync(CancellationToken cancellationToken)
    {
        try
        {
            await TickAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The next tick tries again.
            LogTickFailed(ex, this.GetPrimaryKeyString());
        }
    }

    [LoggerMessage(LogLevel.Warning, "Periodic work of {Key} failed; the next tick tries again")]
    private partial void LogTickFailed(Exception ex, string key);
}
