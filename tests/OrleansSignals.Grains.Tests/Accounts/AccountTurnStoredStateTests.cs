using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Health;
using static OrleansSignals.Grains.Tests.Accounts.TestEvents;

namespace OrleansSignals.Grains.Tests.Accounts;

/// <summary>States written by earlier versions keep working after an upgrade.</summary>
public sealed class AccountTurnStoredStateTests
{
    [Fact]
    public void An_all_events_hour_list_from_an_older_state_is_dropped_and_not_counted_twice()
    {
        var state = AccountState.New(Now.AddDays(-3)).Seen("login", Now.AddHours(-2)).Seen("export", Now.AddHours(-1));
        // Older versions also counted every event under "*".
        state.Hours[AccountState.AllEvents] = [new HourCount(EventWindow.HourOf(Now.AddHours(-2)), 1), new HourCount(EventWindow.HourOf(Now.AddHours(-1)), 1)];
        var activity = new HealthModel(0, [new HealthComponent { Type = HealthComponentTypes.Activity, Weight = 100, Days = 30, Target = 4 }], MinChange: 1);

        AccountTurn.Run(state, TestWorkspaces.Config(model: activity), [], null, Now);

        Assert.False(state.Hours.ContainsKey(AccountState.AllEvents));
        Assert.Equal(50, state.HealthScore); // 2 events of a target of 4, not 4 of 4
    }
}
