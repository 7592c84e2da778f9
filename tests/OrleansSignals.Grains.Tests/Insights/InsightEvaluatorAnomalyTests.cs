using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Insights;
using static OrleansSignals.Grains.Tests.Accounts.TestEvents;

namespace OrleansSignals.Grains.Tests.Insights;

public sealed class InsightEvaluatorAnomalyTests
{
    private static InsightDefinition Anomaly(string? direction, double pct = 50, string? eventName = null) => new()
    {
        Key = "usage_anomaly", Kind = InsightKinds.Anomaly, Event = eventName, Property = "api_calls", WindowDays = 7,
        DeviationPct = pct, Direction = direction,
    };

    /// <summary>A series of daily values ending now (the last value is the latest).</summary>
    private static AccountState Series(params double[] values) => SeriesOf(null, values);

    private static AccountState SeriesOf(string? eventName, params double[] values)
    {
        var state = AccountState.New(Now.AddDays(-30));
        state.Series[MetricKeys.Event(eventName, "api_calls")] =
            [.. values.Select((v, i) => new MetricPoint(Now.AddDays(i - values.Length + 1), v))];
        return state;
    }

    [Theory]
    [InlineData("drop", true)]
    [InlineData("rise", false)]
    [InlineData("any", true)]
    [InlineData(null, true)]
    public void A_drop_beyond_the_percentage(string? direction, bool active)
    {
        Assert.Equal(active, InsightEvaluator.Evaluate(Anomaly(direction), Series(100, 100, 100, 40), Now).Active);
    }

    [Theory]
    [InlineData("drop", false)]
    [InlineData("rise", true)]
    [InlineData("any", true)]
    [InlineData(null, true)]
    public void A_rise_beyond_the_percentage(string? direction, bool active)
    {
        Assert.Equal(active, InsightEvaluator.Evaluate(Anomaly(direction), Series(100, 100, 100, 160), Now).Active);
    }

    [Theory]
    [InlineData("drop", 60)]
    [InlineData("rise", 140)]
    [InlineData("any", 140)]
    [InlineData("any", 60)]
    public void A_deviation_of_exactly_the_percentage_is_not_an_anomaly(string direction, double latest)
    {
        Assert.False(InsightEvaluator.Evaluate(Anomaly(direction, pct: 40), Series(100, 100, latest), Now).Active);
        Assert.True(InsightEvaluator.Evaluate(Anomaly(direction, pct: 39.9), Series(100, 100, latest), Now).Active);
    }

    [Fact]
    public void The_mean_covers_only_the_window_before_the_latest_value()
    {
        var state = Series(100, 100, 100);
        state.Series[MetricKeys.Event(null, "api_calls")].Insert(0, new(Now.AddDays(-20), 1000));

        Assert.False(InsightEvaluator.Evaluate(Anomaly("any"), state, Now).Active);
    }

    [Fact]
    public void Too_few_points_is_not_an_anomaly()
    {
        Assert.False(InsightEvaluator.Evaluate(Anomaly("any"), Series(1000), Now).Active);
        Assert.False(InsightEvaluator.Evaluate(Anomaly("any"), AccountState.New(Now), Now).Active);
    }

    [Fact]
    public void No_earlier_point_inside_the_window_is_not_an_anomaly()
    {
        var state = AccountState.New(Now.AddDays(-30));
        state.Series[MetricKeys.Event(null, "api_calls")] = [new(Now.AddDays(-8), 100), new(Now, 1)];

        Assert.False(InsightEvaluator.Evaluate(Anomaly("any"), state, Now).Active);
    }

    [Fact]
    public void A_mean_of_zero_is_not_an_anomaly()
    {
        Assert.False(InsightEvaluator.Evaluate(Anomaly("any"), Series(0, 0, 500), Now).Active);
    }

    [Fact]
    public void With_event_reads_only_that_event_series()
    {
        var state = SeriesOf("sync", 100, 100, 10);

        Assert.True(InsightEvaluator.Evaluate(Anomaly("drop", eventName: "sync"), state, Now).Active);
        Assert.False(InsightEvaluator.Evaluate(Anomaly("drop"), state, Now).Active);
    }
}
