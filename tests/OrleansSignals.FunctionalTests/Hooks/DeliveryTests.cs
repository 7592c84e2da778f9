using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hooks;

public sealed class DeliveryTests(HooksFactory factory) : IClassFixture<HooksFactory>
{
    [Fact]
    public async Task A_triggered_insight_arrives_signed_verifies_with_standardwebhooks_and_carries_the_history_id()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpoint, secret) = await client.CreateEndpoint(new
        {
            url = receiver.Url, event_types = new[] { "insight.triggered" }, headers = new Dictionary<string, string> { ["x-customer"] = "acme-co" },
        });
        await client.TriggerPowerUser("acme", "e1");

        await HookTestHelpers.WaitFor(() => !receiver.Requests.IsEmpty, "the insight should be delivered");
        var request = Assert.Single(receiver.Requests);
        var (ok, output) = await StandardWebhooksVerifier.VerifyAsync(secret, request);
        Assert.True(ok, output);
        Assert.Equal("acme-co", request.Headers["x-customer"]);
        Assert.StartsWith("application/json", request.Headers["content-type"]);

        var body = request.Json;
        var history = await (await client.GetAsync("/api/accounts/acme/history?type=insight.triggered")).Json(HttpStatusCode.OK);
        var transition = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal(transition.GetProperty("id").GetString(), body.GetProperty("id").GetString());
        Assert.Equal(request.Id, body.GetProperty("id").GetString());
        Assert.Equal("insight.triggered", body.GetProperty("type").GetString());
        Assert.Equal(workspace, body.GetProperty("workspace_id").GetString());
        var data = body.GetProperty("data");
        Assert.Equal("acme", data.GetProperty("account_id").GetString());
        Assert.Equal("power_user", data.GetProperty("insight_key").GetString());
        Assert.False(data.GetProperty("old_value").GetBoolean());
        Assert.True(data.GetProperty("new_value").GetBoolean());

        await Infrastructure.Api.Eventually(async () => (await client.Deliveries(endpoint)).FirstOrDefault().ValueKind != default
            && (await client.Deliveries(endpoint))[0].GetProperty("status").GetString() == "delivered", because: "the log shows the delivery");
        var delivery = (await client.Deliveries(endpoint))[0];
        var attempt = Assert.Single(delivery.GetProperty("attempts").EnumerateArray());
        Assert.Equal(200, attempt.GetProperty("status_code").GetInt32());
        Assert.Equal("ok", attempt.GetProperty("response_excerpt").GetString());
        Assert.True(attempt.GetProperty("latency_ms").GetInt32() >= 0);
    }

    [Fact]
    public async Task A_receiver_that_answers_500_then_200_gets_the_same_webhook_id_twice()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await using var receiver = await WebhookReceiver.StartAsync((n, response) =>
        {
            response.StatusCode = n == 1 ? 500 : 200;
            return Task.CompletedTask;
        });
        var (endpoint, _) = await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "insight.triggered" } });
        await client.TriggerPowerUser("acme", "e1");

        await HookTestHelpers.WaitFor(() => receiver.Requests.Count >= 2, "a retry after the 500");
        await factory.Database.HooksSettledAsync(workspace);
        var ids = receiver.Requests.Select(r => r.Id).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(receiver.Requests.First().Body, receiver.Requests.Last().Body);

        var delivery = Assert.Single(await client.Deliveries(endpoint));
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Equal([500, 200], delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("status_code").GetInt32()));
    }

    [Fact]
    public async Task A_dead_receiver_ends_in_a_dead_letter_and_recover_sends_it_again()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Status(500));
        var (endpoint, _) = await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "insight.triggered" } });
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        await client.TriggerPowerUser("acme", "e1");

        await Infrastructure.Api.Eventually(async () => (await client.Deliveries(endpoint, "dead-letters")).Length == 1, because: "three failures make a dead letter");
        var dead = (await client.Deliveries(endpoint, "dead-letters"))[0];
        Assert.Equal(3, dead.GetProperty("attempts").GetArrayLength());
        Assert.Equal("HTTP 500", dead.GetProperty("last_error").GetString());
        Assert.Equal("answered 500", dead.GetProperty("attempts")[2].GetProperty("response_excerpt").GetString());
        await factory.Database.HooksSettledAsync(workspace);
        Assert.Equal(3, receiver.Requests.Count);

        receiver.Respond = WebhookReceiver.Status(204);
        var recovered = await (await client.PostAsJsonAsync($"/api/webhooks/{endpoint}/recover", new { since = Infrastructure.Api.Iso(start) })).Json(HttpStatusCode.Accepted);
        Assert.Equal(1, recovered.GetProperty("resent").GetInt32());
        await HookTestHelpers.WaitFor(() => receiver.Requests.Count == 4, "recover re-sends the dead letter");
        await Infrastructure.Api.Eventually(async () => (await client.Deliveries(endpoint))[0].GetProperty("status").GetString() == "delivered", because: "the re-send succeeds");
        Assert.Empty(await client.Deliveries(endpoint, "dead-letters"));
    }

    [Fact]
    public async Task Retry_resends_one_delivery_on_request()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpoint, _) = await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "insight.triggered" } });
        await client.TriggerPowerUser("acme", "e1");
        await Infrastructure.Api.Eventually(async () => (await client.Deliveries(endpoint)) is [var d] && d.GetProperty("status").GetString() == "delivered", because: "delivered once");
        var id = (await client.Deliveries(endpoint))[0].GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/deliveries/{id}/retry", null)).StatusCode);
        await HookTestHelpers.WaitFor(() => receiver.Requests.Count == 2, "the retry sends it again");
        Assert.Equal(receiver.Requests.First().Id, receiver.Requests.Last().Id);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync($"/api/deliveries/{Guid.NewGuid()}/retry", null)).StatusCode);
    }

    [Fact]
    public async Task A_410_disables_the_endpoint_and_later_events_are_not_sent()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Status(410));
        var (endpoint, _) = await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "insight.triggered" } });
        await client.TriggerPowerUser("acme", "e1");

        await Infrastructure.Api.Eventually(async () => !(await (await client.GetAsync($"/api/webhooks/{endpoint}")).Json(HttpStatusCode.OK)).GetProperty("enabled").GetBoolean(),
            because: "410 disables the endpoint");
        var read = await (await client.GetAsync($"/api/webhooks/{endpoint}")).Json(HttpStatusCode.OK);
        Assert.Contains("410", read.GetProperty("disabled_reason").GetString());
        Assert.Equal("dead", (await client.Deliveries(endpoint))[0].GetProperty("status").GetString());
        Assert.Equal(1L, await factory.Database.ScalarAsync<long>("SELECT count(*) FROM operational_events WHERE data->>'endpoint_id' = $1", endpoint.ToString()));

        await client.TriggerPowerUser("beta", "e2");
        await factory.Database.HooksSettledAsync(workspace);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Retry_After_on_429_is_honoured_instead_of_the_schedule()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await using var receiver = await WebhookReceiver.StartAsync((n, response) =>
        {
            if (n == 1)
            {
                response.StatusCode = 429;
                response.Headers.RetryAfter = "2";
            }
            return Task.CompletedTask;
        });
        await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "insight.triggered" } });
        await client.TriggerPowerUser("acme", "e1");

        await HookTestHelpers.WaitFor(() => receiver.Requests.Count == 2, "the message is retried after Retry-After");
        var gap = receiver.Requests.Last().At - receiver.Requests.First().At;
        Assert.True(gap >= TimeSpan.FromSeconds(1.9), $"the retry came {gap.TotalMilliseconds} ms after the 429 (schedule: 300 ms, Retry-After: 2 s)");
    }

    [Fact]
    public async Task The_test_endpoint_sends_a_webhook_test_event_to_that_endpoint_only()
    {
        var (client, workspace) = await factory.CreateWorkspaceAsync();
        await using var target = await WebhookReceiver.StartAsync();
        await using var other = await WebhookReceiver.StartAsync();
        var (endpoint, secret) = await client.CreateEndpoint(new { url = target.Url, event_types = new[] { "insight.triggered" } });
        await client.CreateEndpoint(new { url = other.Url, event_types = new[] { "webhook.test" } });

        var sent = await (await client.PostAsync($"/api/webhooks/{endpoint}/test", null)).Json(HttpStatusCode.Accepted);
        await HookTestHelpers.WaitFor(() => !target.Requests.IsEmpty, "the test event arrives");
        var request = Assert.Single(target.Requests);
        Assert.True((await StandardWebhooksVerifier.VerifyAsync(secret, request)).Ok);
        Assert.Equal(sent.GetProperty("event_id").GetString(), request.Id);
        Assert.Equal("webhook.test", request.Json.GetProperty("type").GetString());
        Assert.Equal(workspace, request.Json.GetProperty("workspace_id").GetString());
        Assert.Equal(endpoint.ToString(), request.Json.GetProperty("data").GetProperty("endpoint_id").GetString());
        await factory.Database.HooksSettledAsync(workspace);
        Assert.Empty(other.Requests);
    }

    [Fact]
    public async Task After_rotation_both_the_old_and_the_new_secret_verify()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (endpoint, oldSecret) = await client.CreateEndpoint(new { url = receiver.Url, event_types = new[] { "insight.triggered" } });
        var rotated = await (await client.PostAsync($"/api/webhooks/{endpoint}/rotate-secret", null)).Json(HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        var expires = rotated.GetProperty("previous_secret_expires_at").GetDateTimeOffset();
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24.1));

        await (await client.PostAsync($"/api/webhooks/{endpoint}/test", null)).Json(HttpStatusCode.Accepted);
        await HookTestHelpers.WaitFor(() => !receiver.Requests.IsEmpty, "the test event arrives");
        var request = Assert.Single(receiver.Requests);
        Assert.Equal(2, request.Headers["webhook-signature"].Split(' ').Length);
        Assert.True((await StandardWebhooksVerifier.VerifyAsync(newSecret, request)).Ok, "new secret");
        Assert.True((await StandardWebhooksVerifier.VerifyAsync(oldSecret, request)).Ok, "old secret");
        var stranger = "whsec_" + Convert.ToBase64String(new byte[32]);
        Assert.False((await StandardWebhooksVerifier.VerifyAsync(stranger, request)).Ok, "an unrelated secret must not verify");
    }
}
