using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace OrleansSignals.Grains.Reminders;

/// <summary>
/// Runs the clustered Quartz scheduler for the host's lifetime (instead of Quartz's own hosted
/// service). Stopping does not wait for running jobs, and waits at most <see cref="StopWait"/> for the
/// scheduler itself: with PostgreSQL unreachable, Quartz retries its cluster lock and its shutdown did
/// not return, so a SIGTERM never ended the process. Jobs are safe to cut short: account turns commit
/// one by one, and the reminder and the export schedule pick up where they stopped.
/// </summary>
internal sealed partial class ReminderScheduler(ISchedulerFactory factory, ILogger<ReminderScheduler> logger) : IHostedService
{
    public static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    private IScheduler? _scheduler;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _scheduler = await factory.GetScheduler(cancellationToken);
        await _scheduler.Start(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_scheduler is null) return;
        try
        {
            await _scheduler.Shutdown(waitForJobsToComplete: false, CancellationToken.None).AsTask().WaitAsync(StopWait, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            LogAbandoned(StopWait.TotalSeconds);
        }
    }

    [LoggerMessage(LogLevel.Warning, "The reminder scheduler did not stop within {Seconds} s (is PostgreSQL reachable?); stopping without it")]
    private partial void LogAbandoned(double seconds);
}
