using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Insights;
using static OrleansSignals.Grains.Tests.Accounts.TestEvents;

namespace OrleansSignals.Grains.Tests.Insights;

public sealed class InsightEvaluatorEventCountTests
{
    private static InsightDefinition Logins(string op, double value) => new()
    {
        Key = "logins", Kind = InsightKinds.EventCount, Event = "login", WindowDays = 7, Operator = op, Value = value,
    };

    /// <summary>Three logins in the last 7 days, one older, and other events that must not count.</summary>
    private static AccountState ThreeRecentLogins() => AccountState.New(Now.AddDays(-30))
        .Seen("login", Now.AddDays(-10))
        .Seen("login", Now.AddDays(-6))
        .Seen("login", Now.AddDays(-2))
        .Seen("login", Now.AddHours(-1))
        .Seen("export", Now.AddHours(-2))
        .Seen("export", Now.AddHours(-3));

    [Theory]
    [InlineData("gt", 2, true)]
    [InlineData("gt", 3, false)]
    [InlineData("gte", 3, true)]
    [InlineData("gte", 4, false)]
    [InlineData("lt", 4, true)]
    [InlineData("lt", 3, false)]
    [InlineData("lte", 3, true)]
    [InlineData("lte", 2, false)]
    [InlineData("eq", 3, true)]
    [InlineData("eq", 4, false)]
    public void Compares_the_count_in_the_window(string op, double value, bool active)
    {
        Assert.Equal(active, InsightEvaluator.Evaluate(Logins(op, value), ThreeRecentLogins(), Now).Active);
    }

    [Theory]
    [InlineData("eq", 0, true)]
    [InlineData("lt", 1, true)]
    [InlineData("lte", 0, true)]
    [InlineData("gt", 0, false)]
    [InlineData("gte", 1, false)]
    public void An_account_that_never_sent_the_event_counts_zero(string op, double value, bool active)
    {
        var state = AccountState.New(Now.AddDays(-30)).Seen("export", Now.AddHours(-1));

        var result = InsightEvaluator.Evaluate(Logins(op, value), state, Now);

        Assert.Equal(active, result.Active);
        Assert.Null(result.NextDue);
    }

    [Fact]
    public void Is_due_again_when_the_oldest_counted_event_leaves_the_window()
    {
        var result = InsightEvaluator.Evaluate(Logins("gte", 3), ThreeRecentLogins(), Now);

        // The oldest counted login, 6 days ago at 12:20, counts until its hour (12:00-13:00) ended 7 days ago.
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 13, 0, 0, TimeSpan.Zero), result.NextDue);
        Assert.True(InsightEvaluator.Evaluate(Logins("gte", 3), ThreeRecentLogins(), result.NextDue!.Value.AddTicks(-1)).Active);
        Assert.False(InsightEvaluator.Evaluate(Logins("gte", 3), ThreeRecentLogins(), result.NextDue.Value).Active);
    }

    [Fact]
    public void Is_due_when_a_future_dated_event_enters_the_window()
    {
        var state = AccountState.New(Now.AddDays(-30)).Seen("login", Now.AddHours(3));

        var result = InsightEvaluator.Evaluate(Logins("gte", 1), state, Now);

        Assert.False(result.Active);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 15, 0, 0, TimeSpan.Zero), result.NextDue);
        Assert.True(InsightEvaluator.Evaluate(Logins("gte", 1), state, result.NextDue!.Value).Active);
    }
}
