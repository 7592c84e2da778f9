using System.Text.Json;
using System.Text.Json.Nodes;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Insights;
using OrleansSignals.Grains.Persistence;
using static OrleansSignals.Grains.Tests.Accounts.TestEvents;
using static OrleansSignals.Grains.Tests.Accounts.TestWorkspaces;

namespace OrleansSignals.Grains.Tests.Accounts;

/// <summary>States written by earlier versions keep working after an upgrade.</summary>
public sealed class AccountTurnStoredStateTests
{
    /// <summary>A state as versions before <see cref="MetricKeys.Format"/> 1 stored it: ':' in keys, no key_format.</summary>
    private static AccountState StoredByAnOlderVersion(Action<AccountState> fill)
    {
        var state = AccountState.New(Now.AddDays(-3));
        state.KeyFormat = 0;
        fill(state);
        var json = (JsonObject)JsonNode.Parse(AccountCheckpointStorage.Serialize(state))!;
        Assert.True(json.Remove("key_format"));
        return AccountCheckpointStorage.Deserialize(json.ToJsonString());
    }

    [Fact]
    public void An_all_events_hour_list_from_an_older_state_is_dropped_and_not_counted_twice()
    {
        var state = StoredByAnOlderVersion(s =>
        {
            s.Seen("login", Now.AddHours(-2)).Seen("export", Now.AddHours(-1));
            // Older versions also counted every event under "*".
            s.Hours["*"] = [new HourCount(EventWindow.HourOf(Now.AddHours(-2)), 1), new HourCount(EventWindow.HourOf(Now.AddHours(-1)), 1)];
        });
        var activity = new HealthModel(0, [new HealthComponent { Type = HealthComponentTypes.Activity, Weight = 100, Days = 30, Target = 4 }], MinChange: 1);

        TestTurn.Run(state, Config(model: activity), [], null, Now);

        Assert.False(state.Hours.ContainsKey("*"));
        Assert.Equal(50, state.HealthScore); // 2 events of a target of 4, not 4 of 4
    }

    [Fact]
    public void Values_and_series_stored_under_colon_keys_are_still_read()
    {
        var big = new InsightDefinition { Key = "big_invoice", Kind = InsightKinds.Metric, Source = MetricSources.Event, Event = "billing:invoice", Property = "amount", Operator = "gt", Value = 100 };
        var anyCalls = new InsightDefinition { Key = "calls_drop", Kind = InsightKinds.Anomaly, Property = "calls", WindowDays = 30, DeviationPct = 50, Direction = AnomalyDirections.Drop };
        var mrrDrop = new InsightDefinition { Key = "mrr_drop", Kind = InsightKinds.Anomaly, Source = MetricSources.Trait, Property = "mrr", WindowDays = 30, DeviationPct = 50, Direction = AnomalyDirections.Drop };
        var state = StoredByAnOlderVersion(s =>
        {
            s.Latest["billing:invoice:amount"] = new(Now.AddDays(-1), 500);
            s.Series["*:calls"] = [new(Now.AddDays(-2), 100), new(Now.AddDays(-1), 100)];
            s.Series["@trait:mrr"] = [new(Now.AddDays(-2), 1000), new(Now.AddDays(-1), 1000)];
            s.Traits["mrr"] = JsonSerializer.SerializeToElement(1000);
            // A key in the new form, kept by an older host that rewrote the state without key_format.
            s.Latest[MetricKeys.Event("billing:refund", "amount")] = new(Now.AddDays(-1), 700);
        });

        TestTurn.Run(state, Config([big, anyCalls, mrrDrop]), [Event("sync", Now, ("calls", 10))], new Dictionary<string, JsonElement> { ["mrr"] = JsonSerializer.SerializeToElement(100) }, Now);

        Assert.Equal(MetricKeys.Format, state.KeyFormat);
        Assert.Equal(700, state.Latest[MetricKeys.Event("billing:refund", "amount")].Value);
        Assert.True(state.Insights["big_invoice"].Active);
        Assert.True(state.Insights["calls_drop"].Active);
        Assert.True(state.Insights["mrr_drop"].Active);
        Assert.Equal(3, state.Series[MetricKeys.Event(null, "calls")].Count);
        Assert.Equal(3, state.Series[MetricKeys.Trait("mrr")].Count);
    }

    [Fact]
    public void An_old_key_is_split_where_a_rule_splits_it_and_values_meeting_under_one_key_are_merged()
    {
        // An anomaly on property "usage:calls" of event "sync": the old key "sync:usage:calls" has two ':'.
        var callsDrop = new InsightDefinition { Key = "calls_drop", Kind = InsightKinds.Anomaly, Event = "sync", Property = "usage:calls", WindowDays = 30, DeviationPct = 50, Direction = AnomalyDirections.Drop };
        var big = new InsightDefinition { Key = "big", Kind = InsightKinds.Metric, Source = MetricSources.Event, Event = "billing", Property = "amount", Operator = "gt", Value = 100 };
        var state = StoredByAnOlderVersion(s =>
        {
            s.Series["sync:usage:calls"] = [new(Now.AddDays(-3), 100), new(Now.AddDays(-2), 100)];
            // An older host rewrote the state during a rolling upgrade: the new key stayed beside the old one.
            s.Latest["billing:amount"] = new(Now.AddDays(-2), 50);
            s.Latest[MetricKeys.Event("billing", "amount")] = new(Now.AddDays(-1), 500);
            s.Series[MetricKeys.Event("sync", "usage:calls")] = [new(Now.AddDays(-1), 100)];
            // In Latest, "*:" was only ever an event named "*".
            s.Latest["*:calls"] = new(Now.AddDays(-1), 5);
        });

        TestTurn.Run(state, Config([callsDrop, big]), [Event("sync", Now, ("usage:calls", 10))], null, Now);

        Assert.Equal(4, state.Series[MetricKeys.Event("sync", "usage:calls")].Count);
        Assert.True(state.Insights["calls_drop"].Active);
        Assert.Equal(500, state.Latest[MetricKeys.Event("billing", "amount")].Value);
        Assert.True(state.Insights["big"].Active);
        Assert.Equal(5, state.Latest[MetricKeys.Event("*", "calls")].Value);
        Assert.False(state.Latest.ContainsKey(MetricKeys.Event(null, "calls")));
    }
}
