using System.Text.Json;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Health;
using static OrleansSignals.Grains.Tests.Accounts.TestEvents;

namespace OrleansSignals.Grains.Tests.Health;

public sealed class HealthScorerTests
{
    [Fact]
    public void The_default_model_gives_a_fresh_account_the_base()
    {
        Assert.Equal(50, HealthScorer.Score(HealthModel.Default, AccountState.New(Now), Now));
    }

    [Fact]
    public void The_default_model_gives_full_recency_to_an_account_active_today()
    {
        var state = AccountState.New(Now.AddDays(-30)).Seen("login", Now);

        // 50 + 30 x 1 (recency) + 20 x 1/20 (one event of the 20 targeted).
        Assert.Equal(81, HealthScorer.Score(HealthModel.Default, state, Now));
    }

    [Fact]
    public void The_default_model_gives_half_recency_after_15_idle_days()
    {
        var state = AccountState.New(Now.AddDays(-60)).Seen("login", Now.AddDays(-15));

        // 50 + 30 x (1 - 15/30) + 20 x 1/20.
        Assert.Equal(66, HealthScorer.Score(HealthModel.Default, state, Now));
    }

    [Fact]
    public void The_default_model_gives_full_activity_to_20_events_in_30_days()
    {
        var state = AccountState.New(Now.AddDays(-60));
        for (var i = 0; i < 25; i++) state.Seen("login", Now.AddDays(-29).AddHours(i));

        // 25 events (capped at the target of 20), the last 28 days ago: 50 + 30 x (1 - 28/30) + 20.
        Assert.Equal(72, HealthScorer.Score(HealthModel.Default, state, Now));
    }

    [Fact]
    public void The_default_model_falls_back_to_the_base_after_30_idle_days()
    {
        var state = AccountState.New(Now.AddDays(-90)).Seen("login", Now.AddDays(-31));

        Assert.Equal(50, HealthScorer.Score(HealthModel.Default, state, Now));
    }

    [Theory]
    [InlineData(false, false, 50)]
    [InlineData(true, false, 70)]
    [InlineData(false, true, 20)]
    [InlineData(true, true, 40)]
    public void Insight_components_add_their_weight_while_the_insight_is_active(bool powerUser, bool churnRisk, int expected)
    {
        var model = new HealthModel(50,
        [
            new HealthComponent { Type = HealthComponentTypes.Insight, Insight = "power_user", Weight = 20 },
            new HealthComponent { Type = HealthComponentTypes.Insight, Insight = "churn_risk", Weight = -30 },
        ]);
        var state = AccountState.New(Now);
        state.Insights["power_user"] = new InsightStatus(powerUser, Now);
        state.Insights["churn_risk"] = new InsightStatus(churnRisk, Now);

        Assert.Equal(expected, HealthScorer.Score(model, state, Now));
    }

    [Theory]
    [InlineData(35, 25)]
    [InlineData(10, 0)]
    [InlineData(60, 50)]
    [InlineData(5, 0)]
    [InlineData(1000, 50)]
    public void Metric_components_scale_the_value_from_min_max_and_clamp(double seats, int expected)
    {
        var model = new HealthModel(0,
        [
            new HealthComponent { Type = HealthComponentTypes.Metric, Source = "trait", Property = "seats", Min = 10, Max = 60, Weight = 50 },
        ]);
        var state = AccountState.New(Now);
        state.Traits["seats"] = JsonSerializer.SerializeToElement(seats);

        Assert.Equal(expected, HealthScorer.Score(model, state, Now));
    }

    [Fact]
    public void A_metric_component_without_a_value_adds_nothing()
    {
        var model = new HealthModel(40,
        [
            new HealthComponent { Type = HealthComponentTypes.Metric, Source = "event", Event = "sync", Property = "rows", Min = 0, Max = 10, Weight = 50 },
        ]);

        Assert.Equal(40, HealthScorer.Score(model, AccountState.New(Now), Now));
    }

    [Fact]
    public void A_metric_component_reads_the_latest_event_value()
    {
        var model = new HealthModel(0,
        [
            new HealthComponent { Type = HealthComponentTypes.Metric, Source = "event", Event = "sync", Property = "rows", Min = 0, Max = 10, Weight = 50 },
        ]);
        var state = AccountState.New(Now);
        state.Latest[MetricKeys.Event("sync", "rows")] = new(Now, 4);

        Assert.Equal(20, HealthScorer.Score(model, state, Now));
    }

    [Theory]
    [InlineData(90, 30, 100)]
    [InlineData(10, -40, 0)]
    public void The_score_is_clamped_to_0_100(double baseScore, double weight, int expected)
    {
        var model = new HealthModel(baseScore, [new HealthComponent { Type = HealthComponentTypes.Insight, Insight = "x", Weight = weight }]);
        var state = AccountState.New(Now);
        state.Insights["x"] = new InsightStatus(true, Now);

        Assert.Equal(expected, HealthScorer.Score(model, state, Now));
    }
}
