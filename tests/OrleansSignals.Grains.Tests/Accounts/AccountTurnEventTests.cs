using System.Text.Json;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Insights;
using static OrleansSignals.Grains.Tests.Accounts.TestEvents;
using static OrleansSignals.Grains.Tests.Accounts.TestWorkspaces;

namespace OrleansSignals.Grains.Tests.Accounts;

public sealed class AccountTurnEventTests
{
    private static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value);

    [Fact]
    public void Traits_are_replaced_not_merged_and_kept_when_none_are_sent()
    {
        var state = AccountState.New(Now);
        TestTurn.Run(state, Config(), [], new Dictionary<string, JsonElement> { ["plan"] = Json("pro"), ["seats"] = Json(5) }, Now);

        TestTurn.Run(state, Config(), [], new Dictionary<string, JsonElement> { ["plan"] = Json("team") }, Now.AddMinutes(1));
        TestTurn.Run(state, Config(), [Event("login", Now)], null, Now.AddMinutes(2));

        var traits = state.ToView("acme").Traits;
        Assert.Equal(["plan"], traits.Keys);
        Assert.Equal("team", traits["plan"].GetString());
    }

    [Fact]
    public void Events_arriving_out_of_order_leave_the_same_account_as_events_in_order()
    {
        var login1 = Event("login", Now.AddHours(-3));
        var export = Event("export", Now.AddHours(-2));
        var login2 = Event("login", Now.AddHours(-1));
        var inOrder = AccountState.New(Now.AddDays(-1));
        var newestFirst = AccountState.New(Now.AddDays(-1));
        TestTurn.Run(inOrder, Config(), [login1], null, Now.AddHours(-3));
        TestTurn.Run(inOrder, Config(), [export, login2], null, Now);
        TestTurn.Run(newestFirst, Config(), [login2], null, Now.AddHours(-1));
        TestTurn.Run(newestFirst, Config(), [export, login1], null, Now);

        Assert.Equal(Now.AddHours(-1), newestFirst.LastEventAt);
        Assert.Equal(new Dictionary<string, DateTimeOffset> { ["login"] = Now.AddHours(-1), ["export"] = Now.AddHours(-2) }, newestFirst.LastSeen);
        Assert.Equal(inOrder.LastEventAt, newestFirst.LastEventAt);
        Assert.Equal(inOrder.LastSeen, newestFirst.LastSeen);
        Assert.Equal(inOrder.Hours.Keys.Order(), newestFirst.Hours.Keys.Order());
        Assert.All(inOrder.Hours, h => Assert.Equal(h.Value, newestFirst.Hours[h.Key]));
    }

    [Fact]
    public void A_late_event_does_not_replace_a_newer_property_value()
    {
        var bigOrder = new InsightDefinition
        {
            Key = "big_order", Kind = InsightKinds.Metric, Source = MetricSources.Event, Event = "purchase", Property = "amount", Operator = "gt", Value = 100,
        };
        var state = AccountState.New(Now.AddDays(-1));
        TestTurn.Run(state, Config([bigOrder]), [Event("purchase", Now.AddHours(-1), ("amount", 10))], null, Now);

        var transitions = TestTurn.Run(state, Config([bigOrder]), [Event("purchase", Now.AddHours(-3), ("amount", 999))], null, Now);

        Assert.Empty(transitions);
        Assert.False(state.Insights["big_order"].Active);
    }

    [Fact]
    public void An_event_older_than_the_retention_updates_last_seen_but_no_window()
    {
        var state = AccountState.New(Now.AddDays(-90));

        TestTurn.Run(state, Config(), [Event("login", Now.AddDays(-45))], null, Now);

        Assert.Equal(Now.AddDays(-45), state.LastSeen["login"]);
        Assert.Empty(state.Hours);
    }

    [Fact]
    public void A_longer_window_keeps_more_history()
    {
        var longWindow = new InsightDefinition
        {
            Key = "quarterly_logins", Kind = InsightKinds.EventCount, Event = "login", WindowDays = 90, Operator = "gte", Value = 1,
        };
        var state = AccountState.New(Now.AddDays(-90));

        TestTurn.Run(state, Config([longWindow]), [Event("login", Now.AddDays(-45))], null, Now);

        Assert.True(state.Insights["quarterly_logins"].Active);
        Assert.Equal(1, EventWindow.Count(state.Hours["login"], Now, 90));
    }
}
