using OrleansSignals.Grains.Insights;

namespace OrleansSignals.Grains.Tests.Insights;

public sealed class InsightDefinitionValidatorTests
{
    private static readonly InsightDefinition Logins = new()
    {
        Key = "power_user", Kind = InsightKinds.EventCount, Event = "login", WindowDays = 7, Operator = "gte", Value = 3,
    };

    private static readonly InsightDefinition BigAccount = new()
    {
        Key = "big_account", Kind = InsightKinds.Metric, Source = MetricSources.Trait, Property = "mrr", Operator = "gt", Value = 1000,
    };

    private static FieldError Single(InsightDefinition d) => Assert.Single(InsightDefinitionValidator.Validate(d));

    public static TheoryData<InsightDefinition> ValidDefinitions() =>
    [
        Logins,
        BigAccount,
        new() { Key = "gone_dark", Kind = InsightKinds.Inactivity, Days = 14 },
        new() { Key = "no_login.14d", Kind = InsightKinds.Inactivity, Days = 14, Event = "login" },
        new() { Key = "big-order", Kind = InsightKinds.Metric, Source = MetricSources.Event, Event = "purchase", Property = "amount", Operator = "gt", Value = 500 },
        new() { Key = "usage_drop", Kind = InsightKinds.Anomaly, Property = "api_calls", WindowDays = 14, DeviationPct = 50, Direction = "drop" },
        new() { Key = "9lives", Kind = InsightKinds.Anomaly, Event = "sync", Property = "rows", WindowDays = 365, DeviationPct = 0.5 },
        new() { Key = "mrr_drop", Kind = InsightKinds.Anomaly, Source = MetricSources.Trait, Property = "mrr", WindowDays = 90, DeviationPct = 30 },
    ];

    [Theory]
    [MemberData(nameof(ValidDefinitions))]
    public void Accepts_a_complete_definition_of_each_kind(InsightDefinition definition)
    {
        Assert.Empty(InsightDefinitionValidator.Validate(definition));
    }

    [Fact]
    public void An_unknown_kind_names_the_allowed_kinds()
    {
        var error = Single(Logins with { Kind = "count" });

        Assert.Equal("kind", error.Field);
        Assert.Contains("'count'", error.Message);
        Assert.All(InsightKinds.All, kind => Assert.Contains(kind, error.Message));
    }

    [Fact]
    public void A_missing_kind_names_the_allowed_kinds()
    {
        var error = Single(Logins with { Kind = "" });

        Assert.Equal("kind", error.Field);
        Assert.All(InsightKinds.All, kind => Assert.Contains(kind, error.Message));
    }

    [Theory]
    [InlineData("greater")]
    [InlineData("GT")]
    [InlineData(null)]
    public void An_operator_must_be_one_of_the_operators(string? op)
    {
        var error = Single(Logins with { Operator = op });

        Assert.Equal("operator", error.Field);
        Assert.Contains("gt, gte, lt, lte, eq", error.Message);
        if (op is not null) Assert.Contains($"'{op}'", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(366)]
    public void Window_days_must_be_1_to_365(int? days)
    {
        Assert.Equal("window_days", Single(Logins with { WindowDays = days }).Field);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_comparison_needs_a_finite_value(double? value)
    {
        Assert.Equal("value", Single(Logins with { Value = value }).Field);
        Assert.Equal("value", Single(BigAccount with { Value = value }).Field);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Event_count_needs_an_event(string? eventName)
    {
        Assert.Equal("event", Single(Logins with { Event = eventName }).Field);
    }

    [Fact]
    public void Inactivity_needs_days()
    {
        Assert.Equal("days", Single(new InsightDefinition { Key = "gone_dark", Kind = InsightKinds.Inactivity }).Field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Power_User")]
    [InlineData("power user")]
    [InlineData("_power")]
    [InlineData("-power")]
    [InlineData("power/user")]
    public void The_key_must_match_the_pattern(string key)
    {
        Assert.Equal("key", Single(Logins with { Key = key }).Field);
    }

    [Fact]
    public void The_key_may_be_64_characters_but_not_65()
    {
        Assert.Empty(InsightDefinitionValidator.Validate(Logins with { Key = new string('a', 64) }));
        Assert.Equal("key", Single(Logins with { Key = new string('a', 65) }).Field);
    }

    [Fact]
    public void A_metric_from_a_trait_may_not_name_an_event()
    {
        var error = Single(BigAccount with { Event = "purchase" });

        Assert.Equal("event", error.Field);
        Assert.Contains("source 'event'", error.Message);
    }

    [Fact]
    public void A_metric_needs_a_known_source()
    {
        var error = Single(BigAccount with { Source = "crm" });

        Assert.Equal("source", error.Field);
        Assert.Contains("event, trait", error.Message);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(0d, null)]
    [InlineData(-5d, null)]
    [InlineData(50d, "down")]
    public void An_anomaly_needs_a_positive_percentage_and_a_known_direction(double? pct, string? direction)
    {
        var definition = new InsightDefinition
        {
            Key = "usage_drop", Kind = InsightKinds.Anomaly, Property = "api_calls", WindowDays = 14, DeviationPct = pct, Direction = direction,
        };

        Assert.Equal(pct is > 0 ? "direction" : "deviation_pct", Single(definition).Field);
    }

    [Theory]
    [InlineData("crm", null, "source")]
    [InlineData(MetricSources.Trait, "billing", "event")]
    public void An_anomaly_reads_an_event_property_or_a_trait(string source, string? eventName, string field)
    {
        var definition = new InsightDefinition
        {
            Key = "mrr_drop", Kind = InsightKinds.Anomaly, Source = source, Event = eventName, Property = "mrr", WindowDays = 30, DeviationPct = 50,
        };

        Assert.Equal(field, Single(definition).Field);
    }

    [Fact]
    public void A_field_of_another_kind_is_refused_not_stored_unused()
    {
        var definition = new InsightDefinition { Key = "x9", Kind = InsightKinds.EventCount, Event = "login", WindowDays = 7, Operator = "gte", Value = 3, Days = 4 };

        var error = Single(definition);
        Assert.Equal("days", error.Field);
        Assert.Contains("does not apply to kind 'event_count'", error.Message);
    }

    [Fact]
    public void Every_wrong_field_is_reported()
    {
        var errors = InsightDefinitionValidator.Validate(new InsightDefinition { Key = "Bad Key", Kind = InsightKinds.EventCount });

        Assert.Equal(["key", "event", "window_days", "operator", "value"], errors.Select(e => e.Field));
    }
}
