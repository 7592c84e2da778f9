using Quartz;

namespace OrleansSignals.Grains.Reminders;

/// <summary>The clustered reminder: Quartz fires it on exactly one silo at a time.</summary>
[DisallowConcurrentExecution]
public sealed class DueAccountsJob(DueAccountSweeper sweeper) : IJob
{
    public static readonly JobKey Key = new("due-accounts", "signals");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await sweeper.SweepAsync(cancellationToken);
}
