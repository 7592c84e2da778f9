using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSignals.Grains.Reminders;

namespace OrleansSignals.Signals.Pipeline;

public sealed class PipelineGrain(
    PipelineScheduleStore schedules, PipelineRunStore runs, PipelineRunner runner, TimeProvider time,
    IOptions<PipelineOptions> options, ILogger<PipelineGrain> logger)
    : PeriodicGrain(logger), IPipelineGrain
{
    protected override string ReminderName => "signal-pipeline";

    protected override TimeSpan Interval => options.Value.TickInterval;

    public async Task RunSoonAsync()
    {
        await StartPeriodicAsync();
        TickSoon();
    }

    protected override async Task TickAsync(CancellationToken cancellationToken)
    {
        var workspace = this.GetPrimaryKeyString();
        var schedule = await schedules.GetAsync(workspace, cancellationToken);
        if (schedule.Enabled && schedule.DueAt(time.GetUtcNow()) is { } due
            && await schedules.ActiveSinceAsync(workspace, cancellationToken) is { } since && since <= due.AsOf)
        {
            await runs.EnsureScheduledAsync(workspace, due.Day, due.AsOf, cancellationToken);
        }
        await runner.RunAsync(workspace, cancellationToken);
    }
}
