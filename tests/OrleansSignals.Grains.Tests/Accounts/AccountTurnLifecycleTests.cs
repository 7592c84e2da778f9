using OrleansSignals.Storage;
using OrleansSignals.Grains.Accounts;
using static OrleansSignals.Grains.Tests.Accounts.TestEvents;
using static OrleansSignals.Grains.Tests.Accounts.TestWorkspaces;

namespace OrleansSignals.Grains.Tests.Accounts;

public sealed class AccountTurnLifecycleTests
{
    private static List<(string? Key, string? Old, string? New, DateTimeOffset At)> Lifecycle(List<Transition> transitions) =>
        transitions.Where(t => t.Type == EventTypes.LifecycleEvent).Select(t => (t.Key, t.OldValue, t.NewValue, t.OccurredAt)).ToList();

    [Fact]
    public void Every_occurrence_of_a_lifecycle_event_is_a_transition_from_the_previous_one()
    {
        var config = Config(lifecycle: ["subscription_renewed"]);
        var state = AccountState.New(Now.AddDays(-3));

        // Sent out of order: the turn applies them in time order.
        var transitions = TestTurn.Run(state, config,
            [Event("subscription_renewed", Now.AddDays(-1)), Event("login", Now), Event("subscription_renewed", Now.AddDays(-2))], null, Now);

        Assert.Equal(
            [
                ("subscription_renewed", null, "2026-03-08T12:20:00Z", Now.AddDays(-2)),
                ("subscription_renewed", "2026-03-08T12:20:00Z", "2026-03-09T12:20:00Z", Now.AddDays(-1)),
            ],
            Lifecycle(transitions));
    }

    [Fact]
    public void The_previous_occurrence_is_remembered_across_turns()
    {
        var config = Config(lifecycle: ["subscription_renewed", "churned"]);
        var state = AccountState.New(Now.AddDays(-3));
        TestTurn.Run(state, config, [Event("subscription_renewed", Now.AddDays(-1))], null, Now.AddDays(-1));

        var renewedAt = Now.AddHours(1).AddMilliseconds(250);
        var transitions = TestTurn.Run(state, config, [Event("subscription_renewed", renewedAt)], null, Now.AddHours(2));

        Assert.Equal([("subscription_renewed", "2026-03-09T12:20:00Z", "2026-03-10T13:20:00.25Z", renewedAt)], Lifecycle(transitions));
    }

    [Fact]
    public void Events_not_configured_as_lifecycle_events_are_no_transitions()
    {
        var state = AccountState.New(Now);

        var transitions = TestTurn.Run(state, Config(lifecycle: ["churned"]), [Event("login", Now), Event("subscription_renewed", Now)], null, Now);

        Assert.Empty(Lifecycle(transitions));
        Assert.Equal(Now, state.LastSeen["subscription_renewed"]);
    }
}
