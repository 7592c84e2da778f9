using Quartz;

namespace OrleansSignals.Exports.Schedules;

/// <summary>The clustered Quartz job that queues due schedule periods; Quartz fires it on one host at a time.</summary>
[DisallowConcurrentExecution]
public sealed class ExportScheduleJob(ExportScheduler scheduler) : IJob
{
    public static readonly JobKey Key = new("export-schedules", "signals");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await scheduler.RunDueAsync(cancellationToken);
}
