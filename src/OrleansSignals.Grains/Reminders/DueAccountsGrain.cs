using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSignals.Grains.Workspaces;

namespace OrleansSignals.Grains.Reminders;

public sealed class DueAccountsGrain(DueAccountSweeper sweeper, IOptions<ReminderOptions> options, ILogger<DueAccountsGrain> logger)
    : PeriodicGrain(logger), IDueAccountsGrain
{
    protected override string ReminderName => "due-accounts";

    protected override TimeSpan Interval => options.Value.SweepInterval;

    public Task StartAsync() => StartPeriodicAsync();

    public async Task SweepSoonAsync()
    {
        await StartPeriodicAsync();
        TickSoon();
    }

    protected override Task TickAsync(CancellationToken cancellationToken) => sweeper.SweepAsync(this.GetPrimaryKeyString(), cancellationToken);

    protected override Task OnReminderAsync() => sweeper.CatchUpStaleAsync(this.GetPrimaryKeyString(), CancellationToken.None);
}
