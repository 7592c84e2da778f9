using OrleansSignals.Storage;
using System.Text.Json;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Insights;
using static OrleansSignals.Grains.Tests.Accounts.TestEvents;
using static OrleansSignals.Grains.Tests.Accounts.TestWorkspaces;

namespace OrleansSignals.Grains.Tests.Accounts;

public sealed class AccountTurnInsightTests
{
    private static Dictionary<string, JsonElement> Mrr(int mrr) => new() { ["mrr"] = JsonSerializer.SerializeToElement(mrr) };

    private static List<Transition> InsightTransitions(List<Transition> transitions) =>
        transitions.Where(t => t.Type is EventTypes.InsightTriggered or EventTypes.InsightResolved).ToList();

    [Fact]
    public void An_insight_that_starts_holding_is_triggered_and_one_that_stops_is_resolved()
    {
        var config = Config([GoneDark(7)]);
        var state = AccountState.New(Now);

        var first = TestTurn.Run(state, config, [Event("login", Now)], null, Now);
        var dark = TestTurn.Run(state, config, [], null, Now.AddDays(7));
        var back = TestTurn.Run(state, config, [Event("login", Now.AddDays(8))], null, Now.AddDays(8));

        Assert.Empty(InsightTransitions(first));
        var triggered = Assert.Single(dark);
        Assert.Equal((EventTypes.InsightTriggered, "gone_dark", "false", "true", Now.AddDays(7)),
            (triggered.Type, triggered.Key, triggered.OldValue, triggered.NewValue, triggered.OccurredAt));
        var resolved = Assert.Single(back);
        Assert.Equal((EventTypes.InsightResolved, "gone_dark", "true", "false", Now.AddDays(8)),
            (resolved.Type, resolved.Key, resolved.OldValue, resolved.NewValue, resolved.OccurredAt));
        Assert.Equal(new InsightStatus(false, Now.AddDays(8)), state.Insights["gone_dark"]);
    }

    [Fact]
    public void An_insight_that_holds_on_its_first_evaluation_is_triggered()
    {
        var state = AccountState.New(Now);

        var transitions = TestTurn.Run(state, Config([BigAccount]), [], Mrr(500), Now);

        var triggered = Assert.Single(InsightTransitions(transitions));
        Assert.Equal((EventTypes.InsightTriggered, "big_account", "false", "true"), (triggered.Type, triggered.Key, triggered.OldValue, triggered.NewValue));
        Assert.Equal(new InsightStatus(true, Now), state.Insights["big_account"]);
    }

    [Fact]
    public void Nothing_changing_means_no_transition_and_the_insight_keeps_its_since()
    {
        var config = Config([GoneDark(7), BigAccount]);
        var state = AccountState.New(Now);
        TestTurn.Run(state, config, [Event("login", Now)], Mrr(500), Now);

        var later = TestTurn.Run(state, config, [Event("login", Now.AddHours(1))], Mrr(600), Now.AddHours(1));

        Assert.Empty(later);
        Assert.Equal(new InsightStatus(true, Now), state.Insights["big_account"]);
        Assert.Equal(new InsightStatus(false, Now), state.Insights["gone_dark"]);
    }

    [Fact]
    public void Deleting_a_definition_resolves_its_active_insight_and_forgets_it()
    {
        var state = AccountState.New(Now);
        TestTurn.Run(state, Config([GoneDark(7), BigAccount]), [Event("login", Now)], Mrr(500), Now);

        var transitions = TestTurn.Run(state, Config(version: 2), [], null, Now.AddMinutes(5));

        var resolved = Assert.Single(transitions);
        Assert.Equal((EventTypes.InsightResolved, "big_account", "true", "false", Now.AddMinutes(5)),
            (resolved.Type, resolved.Key, resolved.OldValue, resolved.NewValue, resolved.OccurredAt));
        Assert.Empty(state.Insights);
        Assert.Equal(2, state.ConfigVersion);
    }

    [Fact]
    public void An_anomaly_insight_sees_the_values_of_the_events_it_watches()
    {
        var usageDrop = new InsightDefinition
        {
            Key = "usage_drop", Kind = InsightKinds.Anomaly, Event = "sync", Property = "rows", WindowDays = 7, DeviationPct = 50, Direction = "drop",
        };
        var config = Config([usageDrop]);
        var state = AccountState.New(Now.AddDays(-5));
        TestTurn.Run(state, config,
            [Event("sync", Now.AddDays(-3), ("rows", 100)), Event("sync", Now.AddDays(-2), ("rows", 120)), Event("import", Now.AddDays(-1), ("rows", 1))],
            null, Now.AddDays(-1));

        var transitions = TestTurn.Run(state, config, [Event("sync", Now, ("rows", 30))], null, Now);

        var triggered = Assert.Single(InsightTransitions(transitions));
        Assert.Equal("usage_drop", triggered.Key);
    }

    [Fact]
    public void An_anomaly_on_a_trait_counts_each_write_of_the_traits_as_one_observation()
    {
        var mrrDrop = new InsightDefinition
        {
            Key = "mrr_drop", Kind = InsightKinds.Anomaly, Source = MetricSources.Trait, Property = "mrr", WindowDays = 30,
            DeviationPct = 50, Direction = AnomalyDirections.Drop,
        };
        var config = Config([mrrDrop]);
        var state = AccountState.New(Now);

        TestTurn.Run(state, config, [], Mrr(1000), Now);
        TestTurn.Run(state, config, [], Mrr(1000), Now.AddDays(1));
        // Events and a write without mrr add no point to the series.
        TestTurn.Run(state, config, [Event("login", Now.AddDays(2))], null, Now.AddDays(2));
        TestTurn.Run(state, config, [], new Dictionary<string, JsonElement> { ["plan"] = JsonSerializer.SerializeToElement("pro") }, Now.AddDays(2));
        Assert.Equal(2, state.Series[MetricKeys.Trait("mrr")].Count);

        var dropped = TestTurn.Run(state, config, [], Mrr(400), Now.AddDays(3));
        Assert.Equal((EventTypes.InsightTriggered, "mrr_drop"), (Assert.Single(InsightTransitions(dropped)).Type, Assert.Single(InsightTransitions(dropped)).Key));
        // An event property of the same name is another series.
        TestTurn.Run(state, config, [Event("billing", Now.AddDays(3), ("mrr", 5000))], null, Now.AddDays(3));
        Assert.True(state.Insights["mrr_drop"].Active);
    }
}
