using System.Net;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary>An endpoint with no 2xx for <c>DisableAfter</c> (2 s here) is disabled, and its workspace told.</summary>
public sealed class DisableTests(DisableFactory factory) : IClassFixture<DisableFactory>
{
    [Fact]
    public async Task An_endpoint_failing_without_a_break_for_the_configured_period_is_disabled_and_gets_nothing_new()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Status(500));
        var (endpoint, _) = await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "lifecycle.event" } });
        var started = DateTimeOffset.UtcNow;
        await factory.WriteTransition(workspace, "acme", "lifecycle.event", "upgraded", null, "2026-01-01T00:00:00.000Z", 50);

        await Infrastructure.Api.Eventually(async () => !(await (await client.GetAsync($"/api/webhooks/{endpoint}")).Json(HttpStatusCode.OK)).GetProperty("enabled").GetBoolean(),
            TimeSpan.FromSeconds(15), "two seconds of failures disable the endpoint");
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(2), "not disabled before the period ran out");
        var read = await (await client.GetAsync($"/api/webhooks/{endpoint}")).Json(HttpStatusCode.OK);
        Assert.StartsWith("no successful delivery since", read.GetProperty("disabled_reason").GetString());
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>(
            "SELECT count(*) FROM operational_events WHERE type = 'webhook.endpoint_disabled' AND data->>'endpoint_id' = $1", endpoint.ToString()));
        // Its message is not a dead letter: it waits, with attempts left, until the endpoint is enabled again.
        var waiting = Assert.Single(await client.Deliveries(endpoint));
        Assert.Equal("pending", waiting.GetProperty("status").GetString());

        var attempts = receiver.Requests.Count;
        var later = (await factory.WriteTransition(workspace, "beta", "lifecycle.event", "upgraded", null, "2026-01-02T00:00:00.000Z", 50)).ToString();
        await factory.Database.HooksSettledAsync(workspace);
        Assert.DoesNotContain(receiver.Requests, r => r.Id == later);
        Assert.Equal(attempts, receiver.Requests.Count);
    }
}
