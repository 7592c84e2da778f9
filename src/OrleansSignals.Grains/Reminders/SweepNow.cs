using Microsoft.Extensions.Logging;
using Quartz;

namespace OrleansSignals.Grains.Reminders;

/// <summary>
/// Asks the clustered reminder to sweep due accounts now, instead of at its next interval: a configuration
/// change makes every account of the workspace due, and its author expects to see the effect in a moment, not
/// after up to a sweep interval. Quartz still runs the sweep on one host at a time. Only hosts that run the
/// reminders have it; elsewhere the next regular sweep does the work.
/// </summary>
public sealed partial class SweepNow(ISchedulerFactory factory, ILogger<SweepNow> logger)
{
    public void Request() => _ = RequestAsync();

    private async Task RequestAsync()
    {
        try
        {
            var scheduler = await factory.GetScheduler();
            if (scheduler.Status == SchedulerStatus.Running) await scheduler.TriggerJob(DueAccountsJob.Key);
        }
        catch (Exception ex)
        {
            // The regular sweep still comes.
            LogNotRequested(ex);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not ask for an early sweep of due accounts; the next regular sweep re-evaluates them")]
    private partial void LogNotRequested(Exception ex);
}
