using OrleansSignals.Grains.Health;

namespace OrleansSignals.Grains.Tests.Health;

public sealed class HealthModelValidatorTests
{
    private static readonly HealthComponent Seats = new()
    {
        Type = HealthComponentTypes.Metric, Source = "trait", Property = "seats", Min = 0, Max = 50, Weight = 20,
    };

    private static HealthModel With(params HealthComponent[] components) => HealthModel.Default with { Components = [.. HealthModel.Default.Components, .. components] };

    [Fact]
    public void Accepts_the_default_model_and_one_of_each_component()
    {
        Assert.Empty(HealthModelValidator.Validate(HealthModel.Default));
        Assert.Empty(HealthModelValidator.Validate(With(Seats, new HealthComponent { Type = HealthComponentTypes.Insight, Insight = "churn_risk", Weight = -100 })));
        Assert.Empty(HealthModelValidator.Validate(new HealthModel(0, [], MinChange: 1)));
        Assert.Empty(HealthModelValidator.Validate(new HealthModel(100, [], MinChange: 100)));
    }

    [Fact]
    public void An_unknown_component_type_names_the_allowed_types()
    {
        var error = Assert.Single(HealthModelValidator.Validate(With(new HealthComponent { Type = "loyalty", Weight = 10 })));

        Assert.Equal("components[2].type", error.Field);
        Assert.Contains("'loyalty'", error.Message);
        Assert.All(HealthComponentTypes.All, type => Assert.Contains(type, error.Message));
    }

    [Theory]
    [InlineData(null, 50d)]
    [InlineData(0d, null)]
    [InlineData(null, null)]
    [InlineData(50d, 50d)]
    [InlineData(60d, 50d)]
    public void A_metric_component_needs_min_below_max(double? min, double? max)
    {
        var error = Assert.Single(HealthModelValidator.Validate(With(Seats with { Min = min, Max = max })));

        Assert.Equal("components[2].max", error.Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public void Min_change_must_be_1_to_100(int minChange)
    {
        Assert.Equal("min_change", Assert.Single(HealthModelValidator.Validate(HealthModel.Default with { MinChange = minChange })).Field);
    }

    [Theory]
    [InlineData(100.5)]
    [InlineData(-101)]
    [InlineData(double.NaN)]
    public void A_weight_must_be_within_plus_or_minus_100(double weight)
    {
        var error = Assert.Single(HealthModelValidator.Validate(With(Seats with { Weight = weight })));

        Assert.Equal("components[2].weight", error.Field);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.5)]
    [InlineData(double.PositiveInfinity)]
    public void The_base_must_be_0_to_100(double baseScore)
    {
        Assert.Equal("base", Assert.Single(HealthModelValidator.Validate(HealthModel.Default with { Base = baseScore })).Field);
    }

    [Fact]
    public void Recency_and_activity_need_days_and_activity_a_target()
    {
        var errors = HealthModelValidator.Validate(new HealthModel(50,
        [
            new HealthComponent { Type = HealthComponentTypes.Recency, Weight = 30 },
            new HealthComponent { Type = HealthComponentTypes.Activity, Weight = 20, Days = 30, Target = 0 },
        ]));

        Assert.Equal(["components[0].days", "components[1].target"], errors.Select(e => e.Field));
    }
}
