using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OrleansSignals.FunctionalTests.Hooks;
using OrleansSignals.FunctionalTests.Infrastructure;
using OrleansSignals.Grains.Reminders;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests;

/// <summary>Insights and the health model. The host may send hooks to loopback: transitions are checked as a subscriber receives them.</summary>
public sealed class InsightsTests(HooksFactory factory) : IClassFixture<HooksFactory>
{
    private static object PowerUser => new { key = "power_user", kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = 3 };

    [Fact]
    public async Task Definitions_can_be_created_read_replaced_and_deleted()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await client.Define(PowerUser);
        var conflict = await client.PostAsJsonAsync("/api/insights/definitions", PowerUser);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        var read = await (await client.GetAsync("/api/insights/definitions/power_user")).Json(HttpStatusCode.OK);
        Assert.Equal("event_count", read.GetProperty("kind").GetString());
        Assert.Equal(7, read.GetProperty("window_days").GetInt32());

        var replaced = await (await client.PutAsJsonAsync("/api/insights/definitions/power_user",
            new { kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = 5 })).Json(HttpStatusCode.OK);
        Assert.Equal(5, replaced.GetProperty("value").GetDouble());

        var list = await (await client.GetAsync("/api/insights/definitions")).Json(HttpStatusCode.OK);
        Assert.Equal(1, list.GetProperty("items").GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/insights/definitions/power_user")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/api/insights/definitions/power_user")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/insights/definitions/power_user")).StatusCode);
    }

    [Fact]
    public async Task A_definition_stored_with_a_field_its_kind_does_not_read_is_returned_without_it_and_can_be_put_back()
    {
        // Before such fields were refused, "days" on an event_count rule was stored and ignored.
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await factory.Database.ScalarAsync<int>("""
            INSERT INTO workspace_state (workspace_id, etag, config_version, state, updated_at)
            VALUES ($1, 1, 1, '{"definitions":[{"key":"power_user","kind":"event_count","event":"login","window_days":7,"days":14,"operator":"gte","value":3},{"key":"mrr_drop","kind":"anomaly","source":"trait","event":"billing","property":"mrr","window_days":30,"deviation_pct":50}]}', now())
            RETURNING 1
            """, workspace);

        var read = await (await client.GetAsync("/api/insights/definitions/power_user")).Json(HttpStatusCode.OK);
        Assert.False(read.TryGetProperty("days", out var days) && days.ValueKind != System.Text.Json.JsonValueKind.Null, read.ToString());
        Assert.Equal(7, read.GetProperty("window_days").GetInt32());
        var putBack = await client.PutAsync("/api/insights/definitions/power_user",
            new StringContent(read.GetRawText(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, putBack.StatusCode);
        // "event" is read only for source "event".
        var anomaly = await (await client.GetAsync("/api/insights/definitions/mrr_drop")).Json(HttpStatusCode.OK);
        Assert.False(anomaly.TryGetProperty("event", out _), anomaly.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/insights/definitions/mrr_drop",
            new StringContent(anomaly.GetRawText(), System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Theory]
    [InlineData("""{"key":"x","kind":"sometimes"}""", "kind", "event_count, inactivity, metric, anomaly")]
    [InlineData("""{"key":"x","kind":"event_count","event":"login","window_days":7,"operator":"about","value":3}""", "operator", "gt, gte, lt, lte, eq")]
    [InlineData("""{"key":"x","kind":"event_count","event":"login","operator":"gt","value":3}""", "window_days", "whole number of days")]
    [InlineData("""{"key":"x","kind":"event_count","event":"login","window_days":"seven","operator":"gt","value":3}""", "window_days", "must be a whole number, not a string")]
    [InlineData("""{"key":"x","kind":"event_count","event":"login","window_days":"7","operator":"gt","value":3}""", "window_days", "must be a whole number, not a string")]
    [InlineData("""{"key":"Bad Key!","kind":"inactivity","days":14}""", "key", "a-z")]
    [InlineData("""{"key":"x","kind":"metric","source":"crm","property":"mrr","operator":"gt","value":1}""", "source", "event, trait")]
    [InlineData("""{"key":"x","kind":"anomaly","property":"calls","window_days":14}""", "deviation_pct", "percentage")]
    [InlineData("""{"key":"x","kind":"inactivity","days":14""", "$", "JSON")]
    public async Task A_bad_definition_is_refused_naming_the_field_and_nothing_changes(string body, string field, string message)
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var problem = await (await client.PostRaw("/api/insights/definitions", body)).Json(HttpStatusCode.BadRequest);
        Assert.Contains(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        var list = await (await client.GetAsync("/api/insights/definitions")).Json(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task An_insight_triggers_with_events_and_is_recorded_once_in_history()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "insight.triggered" } });
        await client.Define(PowerUser);
        var now = DateTimeOffset.UtcNow;
        await (await client.PostEvents(Event("l1", "acme", "login", now.AddDays(-2)), Event("l2", "acme", "login", now.AddDays(-1)))).Json(HttpStatusCode.Accepted);
        Assert.False((await client.Account("acme")).InsightActive("power_user"));

        await (await client.PostEvents(Event("l3", "acme", "login", now))).Json(HttpStatusCode.Accepted);
        await (await client.PostEvents(Event("l4", "acme", "login", now))).Json(HttpStatusCode.Accepted);
        var acme = await client.Account("acme");
        Assert.True(acme.InsightActive("power_user"));

        var history = await (await client.GetAsync("/api/accounts/acme/history?type=insight.triggered")).Json(HttpStatusCode.OK);
        var triggered = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal("power_user", triggered.GetProperty("key").GetString());
        Assert.False(triggered.GetProperty("old_value").GetBoolean());
        Assert.True(triggered.GetProperty("new_value").GetBoolean());
        // Every transition is queued for hooks with the same id: a subscribed endpoint receives it once, as its webhook-id.
        await HookTestHelpers.WaitFor(() => !receiver.Requests.IsEmpty, "the transition is delivered to the subscribed endpoint");
        await factory.Database.HooksSettledAsync(workspace);
        var delivered = Assert.Single(receiver.Requests);
        Assert.Equal(triggered.GetProperty("id").GetString(), delivered.Id);
        Assert.Equal(delivered.Id, delivered.Json.GetProperty("id").GetString());
        Assert.Equal("insight.triggered", delivered.Json.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_time_based_insight_flips_without_new_events()
    {
        var (client, workspaceId) = await factory.CreateWorkspaceAsync();
        await client.Define(new { key = "account_dark", kind = "inactivity", days = 14 });
        await (await client.PostEvents(Event("d1", "sleepy", "login", factory.Clock.GetUtcNow()))).Json(HttpStatusCode.Accepted);
        Assert.False((await client.Account("sleepy")).InsightActive("account_dark"));

        factory.Clock.Advance(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(2));
        var sweeper = factory.Services.GetRequiredService<DueAccountSweeper>();
        await Eventually(async () =>
        {
            await sweeper.SweepAsync(workspaceId, CancellationToken.None);
            return (await client.Account("sleepy")).InsightActive("account_dark");
        }, because: "account_dark should trigger 14 days after the last event");

        var history = await (await client.GetAsync("/api/accounts/sleepy/history?type=insight.triggered")).Json(HttpStatusCode.OK);
        Assert.Equal("account_dark", Assert.Single(history.GetProperty("items").EnumerateArray()).GetProperty("key").GetString());

        // A new event resolves it.
        await (await client.PostEvents(Event("d2", "sleepy", "login", factory.Clock.GetUtcNow()))).Json(HttpStatusCode.Accepted);
        Assert.False((await client.Account("sleepy")).InsightActive("account_dark"));
    }

    [Fact]
    public async Task Changing_a_definition_reevaluates_existing_accounts_through_the_clustered_reminder()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        await (await client.PostEvents(
            Event("r1", "busy", "login", now.AddHours(-3)), Event("r2", "busy", "login", now.AddHours(-2)),
            Event("r3", "busy", "login", now.AddHours(-1)), Event("r4", "quiet", "login", now))).Json(HttpStatusCode.Accepted);

        // Defined after the events: the accounts already stored are re-evaluated by the workspace's reminder grain.
        await client.Define(PowerUser);
        await Eventually(async () => (await client.Account("busy")).InsightActive("power_user"), because: "the reminder re-evaluates existing accounts");
        Assert.False((await client.Account("quiet")).InsightActive("power_user"));

        await (await client.PutAsJsonAsync("/api/insights/definitions/power_user",
            new { kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = 10 })).Json(HttpStatusCode.OK);
        await Eventually(async () => !(await client.Account("busy")).InsightActive("power_user"), because: "a stricter definition resolves the insight");
    }

    [Fact]
    public async Task Lifecycle_events_become_transitions_for_each_occurrence()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await (await client.PutAsJsonAsync("/api/lifecycle-events", new[] { "signed_up", "upgraded" })).Json(HttpStatusCode.OK);
        var now = DateTimeOffset.UtcNow;
        await (await client.PostEvents(
            Event("s1", "initech", "signed_up", now.AddDays(-10)),
            Event("u1", "initech", "upgraded", now.AddDays(-5)),
            Event("p1", "initech", "page_view", now.AddDays(-4)))).Json(HttpStatusCode.Accepted);
        await (await client.PostEvents(Event("u2", "initech", "upgraded", now.AddDays(-1)))).Json(HttpStatusCode.Accepted);

        var history = await (await client.GetAsync("/api/accounts/initech/history?type=lifecycle.event")).Json(HttpStatusCode.OK);
        var items = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.Equal(["upgraded", "upgraded", "signed_up"], items.Select(i => i.GetProperty("key").GetString()));
        Assert.Equal(Iso(now.AddDays(-5))[..19], items[0].GetProperty("old_value").GetString()![..19]);
        Assert.Equal(Iso(now.AddDays(-1))[..19], items[0].GetProperty("new_value").GetString()![..19]);

        var state = await client.Account("initech");
        Assert.Equal(Iso(now.AddDays(-1))[..19], state.GetProperty("lifecycle").GetProperty("upgraded").GetString()![..19]);
    }

    [Fact]
    public async Task The_health_model_scores_accounts_and_bad_models_are_refused()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var defaults = await (await client.GetAsync("/api/health-model")).Json(HttpStatusCode.OK);
        Assert.Equal(50, defaults.GetProperty("base").GetDouble());

        await client.Define(new { key = "churn_risk", kind = "event_count", @event = "login", window_days = 14, @operator = "lt", value = 1 });
        await (await client.PutAsJsonAsync("/api/health-model", new
        {
            @base = 80,
            min_change = 1,
            components = new object[]
            {
                new { type = "insight", insight = "churn_risk", weight = -50 },
                new { type = "metric", source = "trait", property = "mrr", weight = 20, min = 0, max = 1000 },
            },
        })).Json(HttpStatusCode.OK);

        await (await client.PutAsJsonAsync("/api/accounts/umbrella/traits", new { mrr = 500 })).Json(HttpStatusCode.OK);
        Assert.Equal(40, (await client.Account("umbrella")).GetProperty("health_score").GetInt32()); // 80 - 50 (no logins) + 10
        await (await client.PostEvents(Event("h1", "umbrella", "login", factory.Clock.GetUtcNow()))).Json(HttpStatusCode.Accepted);
        Assert.Equal(90, (await client.Account("umbrella")).GetProperty("health_score").GetInt32());

        var history = await (await client.GetAsync("/api/accounts/umbrella/history?type=health_score.changed")).Json(HttpStatusCode.OK);
        var latest = history.GetProperty("items")[0];
        Assert.Equal(40, latest.GetProperty("old_value").GetInt32());
        Assert.Equal(90, latest.GetProperty("new_value").GetInt32());

        var bad = await (await client.PutAsJsonAsync("/api/health-model", new
        {
            @base = 150,
            components = new object[] { new { type = "vibes", weight = 10 }, new { type = "metric", source = "trait", property = "mrr", weight = 5 } },
        })).Json(HttpStatusCode.BadRequest);
        var errors = bad.GetProperty("errors");
        Assert.True(errors.TryGetProperty("base", out _));
        Assert.True(errors.TryGetProperty("components[0].type", out _));
        Assert.True(errors.TryGetProperty("components[1].max", out _));
        Assert.Equal(80, (await (await client.GetAsync("/api/health-model")).Json(HttpStatusCode.OK)).GetProperty("base").GetDouble());

        // Left out, base would read as 0 and re-score every account to 0.
        var noBase = await (await client.PutAsJsonAsync("/api/health-model", new { components = Array.Empty<object>() })).Json(HttpStatusCode.BadRequest);
        Assert.Equal("is required", noBase.GetProperty("errors").GetProperty("base")[0].GetString());
        Assert.Equal(80, (await (await client.GetAsync("/api/health-model")).Json(HttpStatusCode.OK)).GetProperty("base").GetDouble());
    }

    [Fact]
    public async Task An_anomaly_on_a_trait_triggers_when_its_latest_value_leaves_the_trailing_mean()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await client.Define(new { key = "mrr_drop", kind = "anomaly", source = "trait", property = "mrr", window_days = 30, deviation_pct = 50, direction = "drop" });
        foreach (var mrr in new[] { 1000, 1100, 900 })
            Assert.False((await (await client.PutAsJsonAsync("/api/accounts/wonka/traits", new { plan = "pro", mrr })).Json(HttpStatusCode.OK)).InsightActive("mrr_drop"));
        // A write without the trait is no observation of it.
        Assert.False((await (await client.PutAsJsonAsync("/api/accounts/wonka/traits", new { plan = "pro" })).Json(HttpStatusCode.OK)).InsightActive("mrr_drop"));
        Assert.True((await (await client.PutAsJsonAsync("/api/accounts/wonka/traits", new { plan = "starter", mrr = 100 })).Json(HttpStatusCode.OK)).InsightActive("mrr_drop"));
        var history = await (await client.GetAsync("/api/accounts/wonka/history?type=insight.triggered")).Json(HttpStatusCode.OK);
        Assert.Equal("mrr_drop", history.GetProperty("items")[0].GetProperty("key").GetString());

        var bad = await (await client.PostAsJsonAsync("/api/insights/definitions", new { key = "x", kind = "anomaly", source = "trait", @event = "login", property = "mrr", window_days = 30, deviation_pct = 50 })).Json(HttpStatusCode.BadRequest);
        Assert.Contains("applies only to source 'event'", bad.GetProperty("errors").GetProperty("event")[0].GetString());
        var badSource = await (await client.PostAsJsonAsync("/api/insights/definitions", new { key = "y", kind = "anomaly", source = "crm", property = "mrr", window_days = 30, deviation_pct = 50 })).Json(HttpStatusCode.BadRequest);
        Assert.True(badSource.GetProperty("errors").TryGetProperty("source", out _));
    }
}

/// <summary>A host whose regular reminder sweep comes only once a minute.</summary>
public sealed class SlowSweepFactory : SignalsFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Signals:Reminders:SweepInterval", "00:01:00")];
}

public sealed class ConfigurationChangeTests(SlowSweepFactory factory) : IClassFixture<SlowSweepFactory>
{
    [Fact]
    public async Task A_changed_definition_reaches_existing_accounts_without_waiting_for_the_next_sweep()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var now = DateTimeOffset.UtcNow;
        await (await client.PostEvents(
            Event("c1", "busy", "login", now.AddHours(-3)), Event("c2", "busy", "login", now.AddHours(-2)), Event("c3", "busy", "login", now.AddHours(-1)))).Json(HttpStatusCode.Accepted);

        // The regular sweep is a minute away; the change asks for one at once.
        await client.Define(new { key = "power_user", kind = "event_count", @event = "login", window_days = 7, @operator = "gte", value = 3 });
        await Eventually(async () => (await client.Account("busy")).InsightActive("power_user"), TimeSpan.FromSeconds(15), "a configuration change sweeps at once");
        await (await client.PutAsJsonAsync("/api/health-model", new { @base = 10, components = Array.Empty<object>() })).Json(HttpStatusCode.OK);
        await Eventually(async () => (await client.Account("busy")).GetProperty("health_score").GetInt32() == 10, TimeSpan.FromSeconds(15), "a new health model sweeps at once");
    }
}
