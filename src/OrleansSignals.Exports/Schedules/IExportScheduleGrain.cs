namespace OrleansSignals.Exports.Schedules;

/// <summary>
/// The cluster's one export schedule clock (key <see cref="Key"/>): every <c>Signals:Exports:ScheduleInterval</c> it
/// queues the runs of schedule periods that are due. An Orleans reminder keeps it alive; one activation in the
/// cluster means one clock, and the (schedule, period) key makes even a rare second one harmless.
/// </summary>
public interface IExportScheduleGrain : IGrainWithStringKey
{
    public const string Key = "all";

    /// <summary>Registers the reminder if it is not yet (idempotent) and starts the clock.</summary>
    Task StartAsync();
}
