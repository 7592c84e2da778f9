using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary>Endpoints created disabled, and endpoints deleted while a delivery to them is in flight.</summary>
public sealed class EndpointLifecycleTests(HooksFactory factory) : IClassFixture<HooksFactory>
{
    [Fact]
    public async Task An_endpoint_created_with_enabled_false_is_disabled_and_sends_nothing()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await using var off = await WebhookReceiver.StartAsync();
        await using var on = await WebhookReceiver.StartAsync();
        var created = await (await client.PostAsJsonAsync("/api/webhooks", new { url = off.Url, event_types = new[] { "insight.triggered" }, enabled = false }))
            .Json(HttpStatusCode.Created);
        Assert.False(created.GetProperty("enabled").GetBoolean());
        var disabled = Guid.Parse(created.GetProperty("id").GetString()!);
        Assert.False((await (await client.GetAsync($"/api/webhooks/{disabled}")).Json(HttpStatusCode.OK)).GetProperty("enabled").GetBoolean());
        await client.CreateEndpoint(new { url = on.Url, event_types = new[] { "insight.triggered" } });

        await client.TriggerPowerUser("acme", "e1");

        // The enabled endpoint of the same workspace received the event: the disabled one had every chance to.
        await HookTestHelpers.WaitFor(() => !on.Requests.IsEmpty, "the enabled endpoint gets the insight");
        Assert.Empty(off.Requests);
        Assert.Empty(await client.Deliveries(disabled));
    }

    [Fact]
    public async Task An_endpoint_deleted_mid_delivery_stalls_no_other_endpoints_outcomes()
    {
        var (doomedClient, _) = await factory.CreateWorkspaceAsync("doomed");
        var (otherClient, _) = await factory.CreateWorkspaceAsync("other");
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = await WebhookReceiver.StartAsync(async (_, response) =>
        {
            arrived.TrySetResult();
            await release.Task;
            await response.WriteAsync("ok");
        });
        await using var receiver = await WebhookReceiver.StartAsync();
        var (doomed, _) = await doomedClient.CreateEndpoint(new { url = slow.Url, event_types = new[] { "insight.triggered" } });
        var (other, _) = await otherClient.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "insight.triggered" } });
        var (sameWorkspace, _) = await doomedClient.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "insight.triggered" } });

        await doomedClient.TriggerPowerUser("acme", "d1");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.NoContent, (await doomedClient.DeleteAsync($"/api/webhooks/{doomed}")).StatusCode);
        release.TrySetResult();  // its 200 now comes back for a message that no longer exists

        // Outcomes keep being recorded, for another workspace's endpoint and for the same workspace's.
        await otherClient.TriggerPowerUser("globex", "o1");
        await Infrastructure.Api.Eventually(async () => await AllDelivered(otherClient, other, 1) && await AllDelivered(doomedClient, sameWorkspace, 1),
            TimeSpan.FromSeconds(30), "outcomes after the deletion are recorded");
        await otherClient.PostEvents(Infrastructure.Api.Event("o2", "initech", "login", DateTimeOffset.UtcNow));
        await Infrastructure.Api.Eventually(() => AllDelivered(otherClient, other, 2), TimeSpan.FromSeconds(30), "and the next ones too");
        Assert.Equal(HttpStatusCode.NotFound, (await doomedClient.GetAsync($"/api/webhooks/{doomed}")).StatusCode);
    }

    private static async Task<bool> AllDelivered(HttpClient client, Guid endpoint, int count) =>
        await client.Deliveries(endpoint) is var deliveries && deliveries.Length == count
        && deliveries.All(d => d.GetProperty("status").GetString() == "delivered");
}
