using Orleans.Concurrency;

namespace OrleansSignals.Grains.Workspaces;

/// <summary>
/// The reminder of one workspace (key: the workspace id): re-evaluates the workspace's accounts whose
/// <c>next_due_at</c> has passed, so time-based insights flip and health decays without new events. An
/// Orleans reminder keeps it alive across restarts; while active, a grain timer sweeps every
/// <c>Signals:Reminders:SweepInterval</c>.
/// </summary>
public interface IDueAccountsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Makes sure the reminder is registered (idempotent) and the sweep timer runs. One-way: the workspace grain calls it
    /// while activating, and must not wait behind a sweep whose accounts wait for that activation.
    /// </summary>
    [OneWay]
    Task StartAsync();

    /// <summary>
    /// Sweeps soon instead of at the next interval (after a configuration change made every account due). One-way: the
    /// caller does not wait behind a sweep in progress.
    /// </summary>
    [OneWay]
    Task SweepSoonAsync();
}
