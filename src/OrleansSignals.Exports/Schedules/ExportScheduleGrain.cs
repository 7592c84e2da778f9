using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSignals.Grains.Reminders;

namespace OrleansSignals.Exports.Schedules;

public sealed class ExportScheduleGrain(ExportScheduler scheduler, IOptions<ExportOptions> options, ILogger<ExportScheduleGrain> logger)
    : PeriodicGrain(logger), IExportScheduleGrain
{
    protected override string ReminderName => "export-schedules";

    protected override TimeSpan Interval => options.Value.ScheduleInterval;

    public Task StartAsync() => StartPeriodicAsync();

    protected override Task TickAsync(CancellationToken cancellationToken) => scheduler.RunDueAsync(cancellationToken);
}
