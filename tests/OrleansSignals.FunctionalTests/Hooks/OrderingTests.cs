using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary>Ordered endpoints: per account, a message waits until the one before it is delivered.</summary>
public sealed class OrderingTests(HooksFactory factory) : IClassFixture<HooksFactory>
{
    [Fact]
    public async Task An_ordered_endpoint_gets_an_accounts_next_message_only_after_the_previous_one_succeeded()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        var failFirst = "";
        var failed = 0;
        await using var receiver = await WebhookReceiver.StartAsync((_, response) =>
        {
            // The first attempt of the account's first message fails; it is retried 300 ms later.
            if (response.HttpContext.Request.Headers["webhook-id"] == failFirst && Interlocked.Exchange(ref failed, 1) == 0) response.StatusCode = 500;
            return Task.CompletedTask;
        });
        await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "lifecycle.event" }, ordered = true });

        failFirst = (await factory.WriteTransition(workspace, "acme", "lifecycle.event", "upgraded", null, "2026-01-01T00:00:00.000Z", 50)).ToString();
        var second = (await factory.WriteTransition(workspace, "acme", "lifecycle.event", "upgraded", "2026-01-01T00:00:00.000Z", "2026-01-02T00:00:00.000Z", 50)).ToString();
        var other = (await factory.WriteTransition(workspace, "beta", "lifecycle.event", "upgraded", null, "2026-01-03T00:00:00.000Z", 50)).ToString();

        await HookTestHelpers.WaitFor(() => receiver.Requests.Count >= 4, "both of acme's messages (one retried) and beta's arrive");
        await factory.Database.HooksSettledAsync(workspace);
        var acme = receiver.Requests.Where(r => r.Id != other).ToList();
        Assert.Equal([failFirst, failFirst, second], acme.Select(r => r.Id));
        Assert.True(acme[2].At >= acme[1].At, "acme's second message came only after its first was delivered");
        // Ordering is per account: beta's message does not wait for acme's retry.
        var beta = Assert.Single(receiver.Requests, r => r.Id == other);
        Assert.True(beta.At < acme[1].At, "beta's message was not held behind acme's retry");
    }
}
