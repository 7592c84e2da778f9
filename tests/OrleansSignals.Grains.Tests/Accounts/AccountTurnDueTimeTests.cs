using System.Globalization;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Insights;
using static OrleansSignals.Grains.Tests.Accounts.TestEvents;
using static OrleansSignals.Grains.Tests.Accounts.TestWorkspaces;

namespace OrleansSignals.Grains.Tests.Accounts;

public sealed class AccountTurnDueTimeTests
{
    private static DateTimeOffset At(int day, int hour, int minute, int second = 0) => new(2026, 3, day, hour, minute, second, TimeSpan.Zero);

    [Fact]
    public void Without_a_time_rule_the_account_is_due_a_day_later_rounded_up_to_the_minute()
    {
        var state = AccountState.New(Now);
        var now = Now.AddSeconds(30.5);

        TestTurn.Run(state, Config(model: HealthModel.Default), [Event("login", now)], null, now);

        Assert.Equal(At(11, 12, 21), state.NextDueAt);
    }

    [Fact]
    public void A_rule_due_later_than_a_day_does_not_delay_the_next_evaluation()
    {
        var state = AccountState.New(Now);

        TestTurn.Run(state, Config([GoneDark(30)]), [Event("login", Now)], null, Now);

        Assert.Equal(At(11, 12, 20), state.NextDueAt);
    }

    [Fact]
    public void A_rule_due_sooner_sets_the_due_time_rounded_up_so_it_is_never_early()
    {
        var state = AccountState.New(Now.AddDays(-2));
        var lastLogin = Now.AddDays(-1).AddSeconds(90.25); // dark at 12:21:30.25

        TestTurn.Run(state, Config([GoneDark(1, "login")]), [Event("login", lastLogin)], null, Now);

        Assert.Equal(At(10, 12, 22), state.NextDueAt);
        Assert.False(state.Insights["gone_dark"].Active);
    }

    [Fact]
    public void An_earlier_due_time_still_ahead_is_kept_until_it_passes()
    {
        var config = Config([GoneDark(1, "login")]);
        var state = AccountState.New(Now.AddDays(-2));
        TestTurn.Run(state, config, [Event("login", Now.AddHours(-22))], null, Now);
        Assert.Equal(At(10, 14, 20), state.NextDueAt);

        // A new login pushes going dark to tomorrow 13:20, but 14:20 today is still ahead and is kept.
        TestTurn.Run(state, config, [Event("login", Now.AddHours(1))], null, Now.AddHours(1));
        Assert.Equal(At(10, 14, 20), state.NextDueAt);

        TestTurn.Run(state, config, [], null, At(10, 14, 20));
        Assert.Equal(At(11, 13, 20), state.NextDueAt);
    }

    [Fact]
    public void A_due_time_that_has_passed_is_replaced()
    {
        var state = AccountState.New(Now);
        state.NextDueAt = Now.AddMinutes(-1);

        TestTurn.Run(state, Config(), [], null, Now);

        Assert.Equal(At(11, 12, 20), state.NextDueAt);
    }

    [Fact]
    public void A_due_time_on_the_minute_is_due_at_that_minute()
    {
        var state = AccountState.New(Now.AddDays(-2));

        TestTurn.Run(state, Config([GoneDark(1, "login")]), [Event("login", Now.AddDays(-1).AddMinutes(2))], null, Now);

        Assert.Equal(At(10, 12, 22), state.NextDueAt);
    }

    [Fact]
    public void A_future_dated_event_makes_the_account_due_when_its_hour_begins()
    {
        var config = Config([new() { Key = "active", Kind = InsightKinds.EventCount, Event = "login", WindowDays = 7, Operator = "gte", Value = 1 }]);
        var state = AccountState.New(Now);

        TestTurn.Run(state, config, [Event("login", Now.AddHours(2))], null, Now);

        Assert.Equal(At(10, 14, 0), state.NextDueAt);
    }

    [Fact]
    public void Several_future_dated_events_make_the_account_due_when_the_first_hour_begins()
    {
        // Events may be dated up to a day ahead (EventBatchParser.MaxFutureSkew); the insight holds from 14:00.
        var config = Config([new() { Key = "active", Kind = InsightKinds.EventCount, Event = "login", WindowDays = 7, Operator = "gte", Value = 1 }]);
        var state = AccountState.New(Now);

        TestTurn.Run(state, config, [Event("login", Now.AddHours(2)), Event("login", Now.AddHours(20))], null, Now);

        Assert.Equal(At(10, 14, 0), state.NextDueAt);
    }

    [Theory]
    [InlineData(0, "2026-03-10T12:20:00Z")]
    [InlineData(1, "2026-03-10T12:21:00Z")]
    [InlineData(TimeSpan.TicksPerMinute - 1, "2026-03-10T12:21:00Z")]
    [InlineData(TimeSpan.TicksPerMinute, "2026-03-10T12:21:00Z")]
    [InlineData(TimeSpan.TicksPerMinute + 1, "2026-03-10T12:22:00Z")]
    public void RoundUpToMinute_never_rounds_down(long ticksAfter, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), AccountTurn.RoundUpToMinute(Now.AddTicks(ticksAfter)));
    }
}
