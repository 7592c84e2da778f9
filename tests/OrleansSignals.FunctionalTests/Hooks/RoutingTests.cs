using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary>Which events reach which endpoint (types, filters, thresholds), formats, backfill, usage and isolation.</summary>
public sealed class RoutingTests(HooksFactory factory) : IClassFixture<HooksFactory>
{
    [Fact]
    public async Task Selective_and_threshold_hooks_receive_only_what_they_ask_for()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await using var selective = await WebhookReceiver.StartAsync();
        await using var drops = await WebhookReceiver.StartAsync();
        await using var defaults = await WebhookReceiver.StartAsync();
        await client.CreateEndpoint(new { url = selective.Url, event_types = new[] { "insight.triggered" }, filters = new { insights = new[] { "churn_risk", "account_dark" }, accounts = new[] { "acme" } } });
        await client.CreateEndpoint(new { url = drops.Url, event_types = new[] { "health_score.changed" }, filters = new { health_drop_gte = 15 } });
        await client.CreateEndpoint(new { url = defaults.Url, event_types = new[] { "health_score.changed" } });

        var churn = await factory.WriteTransition(workspace, "acme", "insight.triggered", "churn_risk", "false", "true", 40);
        await factory.WriteTransition(workspace, "acme", "insight.triggered", "power_user", "false", "true", 40);
        await factory.WriteTransition(workspace, "other", "insight.triggered", "churn_risk", "false", "true", 40);
        var bigDrop = await factory.WriteTransition(workspace, "acme", "health_score.changed", null, "80", "60", 60);   // -20
        await factory.WriteTransition(workspace, "acme", "health_score.changed", null, "60", "48", 48);                // -12
        var rise = await factory.WriteTransition(workspace, "acme", "health_score.changed", null, "48", "70", 70);    // +22
        await factory.WriteTransition(workspace, "acme", "health_score.changed", null, "70", "75", 75);               // +5
        await factory.WriteTransition(workspace, "acme", "health_score.changed", null, null, "75", 75);               // first score

        await HookTestHelpers.WaitFor(() => selective.Requests.Count >= 1 && drops.Requests.Count >= 1 && defaults.Requests.Count >= 3, "the matching events arrive");
        await factory.Database.HooksSettledAsync(workspace);
        Assert.Equal([churn.ToString()], selective.Requests.Select(r => r.Id));
        Assert.Equal([bigDrop.ToString()], drops.Requests.Select(r => r.Id));
        var drop = drops.Requests.Single().Json.GetProperty("data");
        Assert.Equal(80, drop.GetProperty("old_value").GetInt32());
        Assert.Equal(60, drop.GetProperty("new_value").GetInt32());
        // No threshold given: moves of 10 points or more either way (-20, -12, +22), not +5 nor a first score.
        Assert.Equal(3, defaults.Requests.Count);
        Assert.Contains(rise.ToString(), defaults.Requests.Select(r => r.Id));
    }

    [Fact]
    public async Task A_slack_endpoint_gets_a_readable_message()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await using var slack = await WebhookReceiver.StartAsync();
        await client.CreateEndpoint(new { url = slack.Url, event_types = new[] { "insight.triggered" }, format = "slack" });
        await client.TriggerPowerUser("acme", "e1");
        await HookTestHelpers.WaitFor(() => !slack.Requests.IsEmpty, "the Slack message arrives");
        var text = slack.Requests.Single().Json.GetProperty("text").GetString();
        Assert.Contains("*acme*", text);
        Assert.Contains("`power_user` triggered", text);
    }

    [Theory]
    [InlineData("38", "86", ":chart_with_upwards_trend:")]
    [InlineData("86", "38", ":chart_with_downwards_trend:")]
    public void A_slack_health_message_shows_which_way_the_score_moved(string from, string to, string emoji)
    {
        var envelope = $$$"""{"id":"x","type":"health_score.changed","timestamp":"2026-11-22T08:00:00Z","workspace_id":"ws","data":{"account_id":"globex","old_value":"{{{from}}}","new_value":"{{{to}}}"}}""";
        var text = System.Text.Json.JsonDocument.Parse(OrleansSignals.Hooks.Dispatch.Payloads.Slack(envelope)).RootElement.GetProperty("text").GetString()!;
        Assert.StartsWith(emoji, text);
        Assert.Contains($"health score {from} → {to}", text);
    }

    [Fact]
    public async Task Backfill_delivers_matching_history_since_the_given_time_with_the_history_ids()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var first = await factory.WriteTransition(workspace, "acme", "lifecycle.event", "upgraded", null, "2026-01-01T00:00:00.000Z", 50);
        var second = await factory.WriteTransition(workspace, "beta", "lifecycle.event", "upgraded", null, "2026-01-02T00:00:00.000Z", 50);
        await factory.WriteTransition(workspace, "acme", "insight.triggered", "x", "false", "true", 50);
        await factory.Database.HooksSettledAsync(workspace);  // dispatched (no endpoint yet: nothing sent)

        await using var receiver = await WebhookReceiver.StartAsync();
        await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "lifecycle.event" }, ordered = true, backfill_since = Infrastructure.Api.Iso(DateTimeOffset.UtcNow.AddHours(-1)) });
        await HookTestHelpers.WaitFor(() => receiver.Requests.Count >= 2, "the backfill arrives");
        await factory.Database.HooksSettledAsync(workspace);
        Assert.Equal([first.ToString(), second.ToString()], receiver.Requests.Select(r => r.Id).Order());
        Assert.Equal("upgraded", receiver.Requests.First().Json.GetProperty("data").GetProperty("event").GetString());
    }

    [Fact]
    public async Task Usage_counts_delivered_messages_per_day()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpoint, _) = await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "insight.triggered" } });
        for (var i = 0; i < 3; i++) await (await client.PostAsync($"/api/webhooks/{endpoint}/test", null)).Json(HttpStatusCode.Accepted);
        await Infrastructure.Api.Eventually(async () =>
            (await (await client.GetAsync("/api/usage")).Json(HttpStatusCode.OK)).GetProperty("delivered").GetInt64() == 3, because: "three deliveries are metered");
        var usage = await (await client.GetAsync("/api/usage")).Json(HttpStatusCode.OK);
        var day = Assert.Single(usage.GetProperty("days").EnumerateArray());
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd"), day.GetProperty("date").GetString());
        Assert.Equal(3, day.GetProperty("delivered").GetInt64());
    }

    [Fact]
    public async Task A_slow_endpoint_does_not_delay_a_healthy_one()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await using var slow = await WebhookReceiver.StartAsync(async (_, response) => await Task.Delay(1500));
        await using var healthy = await WebhookReceiver.StartAsync();
        await client.CreateEndpoint(new { url = slow.Url, event_types = new[] { "lifecycle.event" } });
        await client.CreateEndpoint(new { url = healthy.Url, event_types = new[] { "lifecycle.event" } });

        for (var i = 0; i < 40; i++) await factory.WriteTransition(workspace, $"acc-{i}", "lifecycle.event", "upgraded", null, "2026-01-01T00:00:00.000Z", 50);
        // Timed from the last write, not the first: forty writes can take a second on a loaded machine.
        var written = DateTimeOffset.UtcNow;
        await HookTestHelpers.WaitFor(() => healthy.Requests.Count == 40, "the healthy endpoint gets every event", seconds: 10);
        var last = healthy.Requests.Max(r => r.At) - written;
        // The slow one takes 1.5 s per message, 10 at a time: 40 messages need 6 s there.
        Assert.True(last < TimeSpan.FromSeconds(2), $"the healthy endpoint got its last message {last.TotalMilliseconds} ms after the last event was written");
        Assert.True(slow.Requests.Count < 40, "the slow endpoint is still working through its queue");
    }
}
