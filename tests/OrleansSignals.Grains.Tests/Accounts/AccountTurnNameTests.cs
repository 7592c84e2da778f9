using System.Text.Json;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Insights;
using static OrleansSignals.Grains.Tests.Accounts.TestEvents;
using static OrleansSignals.Grains.Tests.Accounts.TestWorkspaces;

namespace OrleansSignals.Grains.Tests.Accounts;

/// <summary>Event and property names are the customer's: none of them may make one value read as another.</summary>
public sealed class AccountTurnNameTests
{
    private static InsightDefinition Metric(string? eventName, string property) => new()
    {
        Key = "big", Kind = InsightKinds.Metric, Source = MetricSources.Event, Event = eventName, Property = property, Operator = "gt", Value = 100,
    };

    [Fact]
    public void Colons_in_event_and_property_names_keep_values_apart()
    {
        var state = AccountState.New(Now);
        TestTurn.Run(state, Config(), [Event("a:b", Now.AddMinutes(-2), ("c", 500)), Event("a", Now.AddMinutes(-1), ("b:c", 5))], null, Now);

        Assert.True(InsightEvaluator.Evaluate(Metric("a:b", "c"), state, Now).Active);
        Assert.False(InsightEvaluator.Evaluate(Metric("a", "b:c"), state, Now).Active);
        // "amount" of any event is not "usd:amount".
        TestTurn.Run(state, Config(), [Event("invoice", Now, ("usd:amount", 900))], null, Now);
        Assert.False(InsightEvaluator.Evaluate(Metric(null, "amount"), state, Now).Active);
        Assert.True(InsightEvaluator.Evaluate(Metric(null, "usd:amount"), state, Now).Active);
    }

    [Fact]
    public void Events_named_like_a_trait_or_like_any_event_are_only_events()
    {
        var mrrDrop = new InsightDefinition { Key = "mrr_drop", Kind = InsightKinds.Anomaly, Source = MetricSources.Trait, Property = "mrr", WindowDays = 30, DeviationPct = 50, Direction = AnomalyDirections.Drop };
        var starCalls = new InsightDefinition { Key = "star_calls", Kind = InsightKinds.Anomaly, Event = "*", Property = "calls", WindowDays = 30, DeviationPct = 50 };
        var config = Config([mrrDrop, starCalls]);
        var state = AccountState.New(Now.AddDays(-3));
        TestTurn.Run(state, config, [], new Dictionary<string, JsonElement> { ["mrr"] = JsonSerializer.SerializeToElement(1000) }, Now.AddDays(-2));

        // Before, an event "@trait" with property "mrr" added points to the mrr trait's series, and any event's "calls" fed the "*" event's.
        TestTurn.Run(state, config, [Event("@trait", Now.AddDays(-1), ("mrr", 10)), Event("sync", Now.AddDays(-1), ("calls", 10))], null, Now.AddDays(-1));
        TestTurn.Run(state, config, [Event("@trait", Now, ("mrr", 1)), Event("*", Now, ("calls", 1))], null, Now);

        Assert.Single(state.Series[MetricKeys.Trait("mrr")]);
        Assert.False(state.Insights["mrr_drop"].Active);
        Assert.Single(state.Series[MetricKeys.Event("*", "calls")]);
        Assert.False(state.Insights["star_calls"].Active);
        Assert.Equal(2, state.Hours["*"].Sum(h => h.Count) + state.Hours["sync"].Sum(h => h.Count));
    }
}
