using Orleans.Concurrency;

namespace OrleansSignals.Signals.Pipeline;

/// <summary>
/// A workspace's daily pipeline (key: the workspace id). An Orleans reminder keeps it alive across restarts and lost
/// silos; while active, a timer every <c>Signals:Pipeline:TickInterval</c> creates the day's scheduled run once it is
/// due (its run key makes it once per workspace and day, whichever silo asks) and works pending or unfinished runs.
/// </summary>
public interface IPipelineGrain : IGrainWithStringKey
{
    /// <summary>Registers the reminder (idempotent) and looks for work soon. One-way: callers never wait behind a run.</summary>
    [OneWay]
    Task RunSoonAsync();
}
