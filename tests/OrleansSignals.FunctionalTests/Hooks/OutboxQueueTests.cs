using System.Net;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary>
/// The outbox is only a queue: the fan-out deletes what it takes, so it does not grow with traffic, while the
/// account history and the delivery log keep the record.
/// </summary>
public sealed class OutboxQueueTests(HooksFactory factory) : IClassFixture<HooksFactory>
{
    [Fact]
    public async Task A_delivered_transition_leaves_nothing_in_the_outbox_and_stays_in_the_account_history()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpoint, _) = await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "insight.triggered" } });
        // One turn: insight.triggered (subscribed) and the account's first health score (no endpoint wants it).
        await client.TriggerPowerUser("acme", "e1");

        await HookTestHelpers.WaitFor(() => !receiver.Requests.IsEmpty, "the insight is delivered");
        var delivered = Assert.Single(receiver.Requests);
        // Taken from the outbox in the transaction that created its message, so gone before it was sent.
        Assert.Equal(0L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE transition_id = $1", Guid.Parse(delivered.Id)));
        // Nothing is left waiting for the workspace, the transition no endpoint subscribed to included.
        await Infrastructure.Api.Eventually(async () => await factory.Database.ScalarAsync<long>("SELECT count(*) FROM outbox WHERE workspace_id = $1", workspace) == 0,
            TimeSpan.FromSeconds(5), "the outbox is emptied");

        // The account's history still has both transitions, the delivered one with the id that was sent.
        var items = (await (await client.GetAsync("/api/accounts/acme/history")).Json(HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        var transition = Assert.Single(items, i => i.GetProperty("id").GetString() == delivered.Id);
        Assert.Equal("insight.triggered", transition.GetProperty("type").GetString());
        Assert.Equal("power_user", transition.GetProperty("key").GetString());
        Assert.Contains(items, i => i.GetProperty("type").GetString() == "health_score.changed");

        // And the delivery log keeps the delivery.
        await Infrastructure.Api.Eventually(async () => await client.Deliveries(endpoint) is [var d] && d.GetProperty("status").GetString() == "delivered",
            because: "the delivery log shows it delivered");
        Assert.Equal(delivered.Id, Assert.Single(await client.Deliveries(endpoint)).GetProperty("event_id").GetString());
    }
}
