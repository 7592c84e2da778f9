using System.Net;
using System.Net.Http.Json;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary>The default host: private, loopback and link-local destinations are refused.</summary>
public sealed class PrivateNetworkTests(SignalsFactory factory) : IClassFixture<SignalsFactory>
{
    [Fact]
    public async Task Loopback_and_private_destinations_are_refused_by_default()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        foreach (var url in new[] { "http://127.0.0.1:9/x", "http://10.1.2.3/x", "http://169.254.169.254/latest/meta-data", "http://[::1]/x" })
        {
            var problem = await (await client.PostAsJsonAsync("/api/webhooks", new { url, event_types = new[] { "insight.triggered" } })).Json(HttpStatusCode.BadRequest);
            Assert.Contains("private", problem.GetProperty("errors").GetProperty("url")[0].GetString());
        }

        // A name that resolves to loopback passes validation but is refused when connecting.
        await using var receiver = await WebhookReceiver.StartAsync();
        var url2 = receiver.Url.Replace("127.0.0.1", "localhost");
        var (endpoint, _) = await client.CreateEndpoint(new { url = url2, event_types = new[] { "insight.triggered" } });
        await (await client.PostAsync($"/api/webhooks/{endpoint}/test", null)).Json(HttpStatusCode.Accepted);
        await Infrastructure.Api.Eventually(async () => (await client.Deliveries(endpoint)) is [var d] && d.GetProperty("attempts").GetArrayLength() > 0,
            because: "the attempt is recorded");
        var attempt = (await client.Deliveries(endpoint))[0].GetProperty("attempts")[0];
        Assert.Contains("Refused", attempt.GetProperty("error").GetString());
        Assert.Empty(receiver.Requests);
    }
}
