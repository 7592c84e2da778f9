using System.Net;
using System.Net.Http.Json;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Hooks;

public sealed class WebhookEndpointsTests(HooksFactory factory) : IClassFixture<HooksFactory>
{
    [Fact]
    public async Task Endpoints_are_created_with_a_whsec_secret_read_replaced_and_deleted()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var created = await (await client.PostAsJsonAsync("/api/webhooks", new
        {
            url = "https://example.com/hooks", event_types = new[] { "insight.triggered", "insight.resolved" },
            description = "CRM", filters = new { insights = new[] { "churn_risk", "account_dark" }, health_drop_gte = 15 },
            headers = new Dictionary<string, string> { ["x-api-key"] = "abc" }, rate_limit_per_second = 5,
        })).Json(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);

        var read = await (await client.GetAsync($"/api/webhooks/{id}")).Json(HttpStatusCode.OK);
        Assert.Equal("https://example.com/hooks", read.GetProperty("url").GetString());
        Assert.Equal(15, read.GetProperty("filters").GetProperty("health_drop_gte").GetInt32());
        Assert.Equal("abc", read.GetProperty("headers").GetProperty("x-api-key").GetString());
        Assert.True(read.GetProperty("enabled").GetBoolean());
        Assert.False(read.TryGetProperty("secret", out _));

        var replaced = await (await client.PutAsJsonAsync($"/api/webhooks/{id}", new { url = "https://example.com/v2", event_types = new[] { "lifecycle.event" } })).Json(HttpStatusCode.OK);
        Assert.Equal("https://example.com/v2", replaced.GetProperty("url").GetString());
        var list = await (await client.GetAsync("/api/webhooks")).Json(HttpStatusCode.OK);
        Assert.Equal("lifecycle.event", list.GetProperty("items")[0].GetProperty("event_types")[0].GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/webhooks/{id}")).StatusCode);
    }

    [Fact]
    public async Task Another_workspace_cannot_see_an_endpoint()
    {
        var (owner, _) = await factory.CreateWorkspaceAsync();
        var (other, _) = await factory.CreateWorkspaceAsync();
        var (id, _) = await owner.CreateEndpoint(new { url = "https://example.com/h", event_types = new[] { "insight.triggered" } });
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/webhooks/{id}/deliveries")).StatusCode);
    }

    [Theory]
    [InlineData("""{"url":"ftp://example.com/x","event_types":["insight.triggered"]}""", "url", "absolute http or https")]
    [InlineData("""{"url":"/relative","event_types":["insight.triggered"]}""", "url", "absolute http or https")]
    [InlineData("""{"url":"https://example.com","event_types":["insight.exploded"]}""", "event_types", "'insight.exploded' is not an event type")]
    [InlineData("""{"url":"https://example.com","event_types":[]}""", "event_types", "at least one")]
    [InlineData("""{"url":"https://example.com","event_types":["health_score.changed"],"filters":{"health_drop_gte":500}}""", "filters.health_drop_gte", "between 1 and 100")]
    [InlineData("""{"url":"https://example.com","event_types":["insight.triggered"],"filters":{"insights":[]}}""", "filters.insights", "1 to 200")]
    [InlineData("""{"url":"https://example.com","event_types":["insight.triggered"],"headers":{"webhook-signature":"x"}}""", "headers.webhook-signature", "set by the dispatcher")]
    [InlineData("""{"url":"https://example.com","event_types":["insight.triggered"],"secret":"nope"}""", "secret", "whsec_")]
    [InlineData("""{"url":"https://example.com","event_types":["insight.triggered"],"format":"teams"}""", "format", "standard' or 'slack")]
    [InlineData("""{"url":"https://example.com","event_types":"insight.triggered"}""", "event_types", "must be a JSON array, not a string")]
    public async Task A_bad_endpoint_is_refused_naming_the_field_and_nothing_is_stored(string body, string field, string message)
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var problem = await (await client.PostRaw("/api/webhooks", body)).Json(HttpStatusCode.BadRequest);
        Assert.Contains(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        var list = await (await client.GetAsync("/api/webhooks")).Json(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
    }
}
