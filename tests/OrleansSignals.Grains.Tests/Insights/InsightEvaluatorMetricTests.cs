using System.Text.Json;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Insights;
using static OrleansSignals.Grains.Tests.Accounts.TestEvents;

namespace OrleansSignals.Grains.Tests.Insights;

public sealed class InsightEvaluatorMetricTests
{
    private static InsightDefinition FromTrait(string op, double value) => new()
    {
        Key = "big_account", Kind = InsightKinds.Metric, Source = MetricSources.Trait, Property = "mrr", Operator = op, Value = value,
    };

    private static InsightDefinition FromEvent(string? eventName, string op, double value) => new()
    {
        Key = "big_order", Kind = InsightKinds.Metric, Source = MetricSources.Event, Event = eventName, Property = "amount", Operator = op, Value = value,
    };

    private static AccountState WithTrait<T>(T mrr)
    {
        var state = AccountState.New(Now);
        state.Traits["mrr"] = JsonSerializer.SerializeToElement(mrr);
        return state;
    }

    [Fact]
    public void Reads_a_numeric_trait()
    {
        Assert.True(InsightEvaluator.Evaluate(FromTrait("gt", 100), WithTrait(120), Now).Active);
        Assert.False(InsightEvaluator.Evaluate(FromTrait("gt", 100), WithTrait(80), Now).Active);
        Assert.Null(InsightEvaluator.Evaluate(FromTrait("gt", 100), WithTrait(120), Now).NextDue);
    }

    [Fact]
    public void Reads_a_trait_holding_a_number_as_text()
    {
        Assert.True(InsightEvaluator.Evaluate(FromTrait("gt", 100), WithTrait("120.5"), Now).Active);
        Assert.False(InsightEvaluator.Evaluate(FromTrait("lt", 100), WithTrait("120.5"), Now).Active);
    }

    [Theory]
    [InlineData("gt")]
    [InlineData("lt")]
    [InlineData("eq")]
    public void A_trait_that_is_not_a_number_never_holds(string op)
    {
        Assert.False(InsightEvaluator.Evaluate(FromTrait(op, 0), WithTrait("lots"), Now).Active);
        Assert.False(InsightEvaluator.Evaluate(FromTrait(op, 0), WithTrait(true), Now).Active);
    }

    [Fact]
    public void A_missing_trait_never_holds()
    {
        Assert.False(InsightEvaluator.Evaluate(FromTrait("lt", 100), AccountState.New(Now), Now).Active);
    }

    [Fact]
    public void With_event_reads_that_event_property()
    {
        var state = AccountState.New(Now);
        state.Latest[MetricKeys.Event("purchase", "amount")] = new(Now.AddHours(-2), 50);
        state.Latest[MetricKeys.Event("refund", "amount")] = new(Now.AddHours(-1), 500);

        Assert.False(InsightEvaluator.Evaluate(FromEvent("purchase", "gt", 100), state, Now).Active);
        Assert.True(InsightEvaluator.Evaluate(FromEvent("refund", "gt", 100), state, Now).Active);
        Assert.False(InsightEvaluator.Evaluate(FromEvent("signup", "lt", 100), state, Now).Active);
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(-3, false)]
    public void Without_event_the_latest_value_of_any_event_wins_by_timestamp(int refundHoursAgo, bool active)
    {
        var state = AccountState.New(Now);
        state.Latest[MetricKeys.Event("refund", "amount")] = new(Now.AddHours(refundHoursAgo), 500);
        state.Latest[MetricKeys.Event("purchase", "amount")] = new(Now.AddHours(-2), 50);
        state.Latest[MetricKeys.Event("purchase", "discount")] = new(Now, 900);

        Assert.Equal(active, InsightEvaluator.Evaluate(FromEvent(null, "gt", 100), state, Now).Active);
    }
}
