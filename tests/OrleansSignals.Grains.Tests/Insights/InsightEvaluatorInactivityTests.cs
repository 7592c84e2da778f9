using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Insights;
using static OrleansSignals.Grains.Tests.Accounts.TestEvents;

namespace OrleansSignals.Grains.Tests.Insights;

public sealed class InsightEvaluatorInactivityTests
{
    private static InsightDefinition Dark(int days, string? eventName = null) => new()
    {
        Key = "gone_dark", Kind = InsightKinds.Inactivity, Days = days, Event = eventName,
    };

    [Fact]
    public void Without_event_any_recent_event_keeps_it_inactive_until_the_days_have_passed()
    {
        var lastEvent = Now.AddDays(-3);
        var state = AccountState.New(Now.AddDays(-30)).Seen("login", Now.AddDays(-20)).Seen("export", lastEvent);

        var result = InsightEvaluator.Evaluate(Dark(7), state, Now);

        Assert.False(result.Active);
        Assert.Equal(lastEvent.AddDays(7), result.NextDue);
    }

    [Fact]
    public void Without_event_it_is_active_when_no_event_came_for_the_days()
    {
        var state = AccountState.New(Now.AddDays(-30)).Seen("export", Now.AddDays(-8));

        var result = InsightEvaluator.Evaluate(Dark(7), state, Now);

        Assert.True(result.Active);
        Assert.Null(result.NextDue);
    }

    [Fact]
    public void With_event_only_that_event_counts()
    {
        var state = AccountState.New(Now.AddDays(-30)).Seen("login", Now.AddDays(-10)).Seen("export", Now.AddHours(-1));

        Assert.True(InsightEvaluator.Evaluate(Dark(7, "login"), state, Now).Active);
        Assert.False(InsightEvaluator.Evaluate(Dark(7), state, Now).Active);
        Assert.False(InsightEvaluator.Evaluate(Dark(7, "export"), state, Now).Active);
    }

    [Fact]
    public void An_account_that_never_sent_the_event_is_measured_from_when_it_was_created()
    {
        var created = Now.AddDays(-5);
        var state = AccountState.New(created).Seen("export", Now.AddHours(-1));

        var young = InsightEvaluator.Evaluate(Dark(7, "login"), state, Now);
        var old = InsightEvaluator.Evaluate(Dark(7, "login"), state, created.AddDays(7));

        Assert.False(young.Active);
        Assert.Equal(created.AddDays(7), young.NextDue);
        Assert.True(old.Active);
    }

    [Fact]
    public void An_account_without_any_event_is_measured_from_when_it_was_created()
    {
        var state = AccountState.New(Now.AddDays(-2));

        var result = InsightEvaluator.Evaluate(Dark(3), state, Now);

        Assert.False(result.Active);
        Assert.Equal(Now.AddDays(1), result.NextDue);
    }

    [Fact]
    public void Becomes_active_exactly_when_the_days_have_passed()
    {
        var lastLogin = Now.AddDays(-7);
        var state = AccountState.New(Now.AddDays(-30)).Seen("login", lastLogin);

        var justBefore = InsightEvaluator.Evaluate(Dark(7, "login"), state, Now.AddTicks(-1));
        var atBoundary = InsightEvaluator.Evaluate(Dark(7, "login"), state, Now);

        Assert.False(justBefore.Active);
        Assert.Equal(Now, justBefore.NextDue);
        Assert.True(atBoundary.Active);
    }
}
