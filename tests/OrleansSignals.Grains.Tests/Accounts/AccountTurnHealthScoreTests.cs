using OrleansSignals.Storage;
using System.Globalization;
using System.Text.Json;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Health;
using static OrleansSignals.Grains.Tests.Accounts.TestEvents;
using static OrleansSignals.Grains.Tests.Accounts.TestWorkspaces;

namespace OrleansSignals.Grains.Tests.Accounts;

public sealed class AccountTurnHealthScoreTests
{
    private static Dictionary<string, JsonElement> Mrr(int mrr) => new() { ["mrr"] = JsonSerializer.SerializeToElement(mrr) };

    private static Dictionary<string, JsonElement> X(int x) => new() { ["x"] = JsonSerializer.SerializeToElement(x) };

    private static (string? Old, string? New)? HealthChange(List<Transition> transitions) =>
        transitions.SingleOrDefault(t => t.Type == EventTypes.HealthScoreChanged) is { } t ? (t.OldValue, t.NewValue) : null;

    [Fact]
    public void The_first_score_is_recorded_from_nothing()
    {
        var state = AccountState.New(Now);

        var transition = Assert.Single(TestTurn.Run(state, Config(), [], null, Now));

        Assert.Equal((EventTypes.HealthScoreChanged, null, null, "50", 50, Now),
            (transition.Type, transition.Key, transition.OldValue, transition.NewValue, transition.HealthScore, transition.OccurredAt));
        Assert.Equal(50, state.HealthScore);
    }

    [Theory]
    [InlineData(54, false)]
    [InlineData(55, true)]
    [InlineData(46, false)]
    [InlineData(45, true)]
    [InlineData(100, true)]
    public void A_move_below_min_change_updates_the_score_but_records_nothing(int next, bool recorded)
    {
        var config = Config(model: TraitDriven(minChange: 5));
        var state = AccountState.New(Now);
        TestTurn.Run(state, config, [], X(50), Now);

        var transitions = TestTurn.Run(state, config, [], X(next), Now.AddMinutes(1));

        (string?, string?)? expected = recorded ? ("50", next.ToString(CultureInfo.InvariantCulture)) : null;
        Assert.Equal(next, state.HealthScore);
        Assert.Equal(expected, HealthChange(transitions));
    }

    [Fact]
    public void Small_moves_add_up_against_the_last_recorded_score()
    {
        var config = Config(model: TraitDriven(minChange: 5));
        var state = AccountState.New(Now);

        var first = TestTurn.Run(state, config, [], X(50), Now);
        var drift = TestTurn.Run(state, config, [], X(53), Now.AddMinutes(1));
        var further = TestTurn.Run(state, config, [], X(56), Now.AddMinutes(2));
        var steady = TestTurn.Run(state, config, [], X(56), Now.AddMinutes(3));

        Assert.Equal((null, "50"), HealthChange(first));
        Assert.Empty(drift);
        Assert.Equal(("50", "56"), HealthChange(further));
        Assert.Empty(steady);
        Assert.Equal(56, state.HealthScore);
    }

    [Fact]
    public void Min_change_1_records_every_move()
    {
        var config = Config(model: TraitDriven(minChange: 1));
        var state = AccountState.New(Now);
        TestTurn.Run(state, config, [], X(50), Now);

        Assert.Equal(("50", "51"), HealthChange(TestTurn.Run(state, config, [], X(51), Now.AddMinutes(1))));
        Assert.Equal(("51", "50"), HealthChange(TestTurn.Run(state, config, [], X(50), Now.AddMinutes(2))));
    }

    [Fact]
    public void Every_transition_of_a_turn_carries_the_score_after_the_turn()
    {
        var model = new HealthModel(50, [new HealthComponent { Type = HealthComponentTypes.Insight, Insight = "big_account", Weight = 30 }]);
        var config = Config([BigAccount], model, lifecycle: ["upgraded"]);
        var state = AccountState.New(Now);
        TestTurn.Run(state, config, [], Mrr(50), Now);

        var transitions = TestTurn.Run(state, config, [Event("upgraded", Now.AddMinutes(1))],
            Mrr(500), Now.AddMinutes(2));

        Assert.Equal([EventTypes.LifecycleEvent, EventTypes.InsightTriggered, EventTypes.HealthScoreChanged], transitions.Select(t => t.Type));
        Assert.All(transitions, t => Assert.Equal(80, t.HealthScore));
        Assert.Equal(("50", "80"), HealthChange(transitions));
    }

    [Fact]
    public void Every_transition_has_its_own_id()
    {
        var config = Config([GoneDark(1)], lifecycle: ["login"]);
        var state = AccountState.New(Now);
        var transitions = TestTurn.Run(state, config, [Event("login", Now.AddDays(-3)), Event("login", Now.AddDays(-2))], null, Now);
        transitions.AddRange(TestTurn.Run(state, config, [Event("login", Now.AddMinutes(1)), Event("login", Now.AddMinutes(2))], null, Now));

        Assert.Equal(7, transitions.Count);
        Assert.Equal(7, transitions.Select(t => t.Id).Distinct().Count());
        Assert.DoesNotContain(Guid.Empty, transitions.Select(t => t.Id));
    }
}
