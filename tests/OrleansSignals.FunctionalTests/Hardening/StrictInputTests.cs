using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrleansSignals.FunctionalTests.Infrastructure;
using static OrleansSignals.FunctionalTests.Infrastructure.Api;

namespace OrleansSignals.FunctionalTests.Hardening;

/// <summary>Issue 12, items 1 and 2: nothing a client sends is silently ignored, and every mistake is named at once.</summary>
public sealed class StrictInputTests(SignalsFactory factory) : IClassFixture<SignalsFactory>
{
    private static Dictionary<string, string[]> Errors(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(e => e.GetString()!).ToArray());

    [Fact]
    public async Task An_unknown_field_in_any_body_is_refused_by_name_and_nothing_is_stored()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        // "filter" meant as "filters" would have let the endpoint receive every event.
        var webhook = await (await client.PostRaw("/api/webhooks",
            """{"url":"https://example.com/h","event_types":["insight.triggered"],"filter":{"insights":["churn"]}}""")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("filters", Errors(webhook)["filter"][0]);
        Assert.Equal(0, (await (await client.GetAsync("/api/webhooks")).Json(HttpStatusCode.OK)).GetProperty("items").GetArrayLength());

        var nested = await (await client.PostRaw("/api/webhooks",
            """{"url":"https://example.com/h","event_types":["insight.triggered"],"filters":{"insight":["churn"]}}""")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("insights", Errors(nested)["filters.insight"][0]);

        var definition = await (await client.PostRaw("/api/insights/definitions",
            """{"key":"idle","kind":"inactivity","days":14,"windowdays":3}""")).Json(HttpStatusCode.BadRequest);
        Assert.True(Errors(definition).ContainsKey("windowdays"));

        var export = await (await client.PostRaw("/api/datalake/exports",
            """{"dataset":"insight-snapshot","format":"csv","destination":{"type":"local","path":"/tmp"}}""")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("prefix", Errors(export)["destination.path"][0]);

        var model = await (await client.PutAsync("/api/health-model", JsonContent.Create(new { @base = 50, components = Array.Empty<object>(), minimum_change = 3 }))).Json(HttpStatusCode.BadRequest);
        Assert.Contains("min_change", Errors(model)["minimum_change"][0]);
    }

    [Fact]
    public async Task An_unknown_field_on_an_event_says_extra_data_belongs_in_properties()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var problem = await (await client.PostRaw("/api/events",
            $$"""[{"event_id":"e1","account_id":"acme","event":"login","timestamp":"{{Iso(DateTimeOffset.UtcNow)}}","plan":"pro"}]""")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("properties", Errors(problem)["[0].plan"][0]);
        await (await client.GetAsync("/api/accounts/acme")).Json(HttpStatusCode.NotFound);

        var ndjson = await (await client.PostRaw("/api/events",
            $$$"""{"event_id":"e2","account_id":"acme","event":"login","timestamp":"{{{Iso(DateTimeOffset.UtcNow)}}}","props":{}}""", "application/x-ndjson")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("properties", Errors(ndjson)["[0].props"][0]);
    }

    [Fact]
    public async Task An_unknown_query_parameter_is_refused_by_name_and_a_read_does_not_say_nothing_was_changed()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var problem = await (await client.GetAsync("/api/accounts?lmit=5")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("limit", Errors(problem)["lmit"][0]);
        Assert.DoesNotContain("changed", problem.GetProperty("detail").GetString());

        var webhooks = await (await client.GetAsync("/api/webhooks?status=dead")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("takes no query parameters", Errors(webhooks)["status"][0]);

        var usage = await (await client.GetAsync("/api/usage?from=2026-02-01&to=2026-01-01")).Json(HttpStatusCode.BadRequest);
        Assert.True(Errors(usage).ContainsKey("from"));
        Assert.DoesNotContain("changed", usage.GetProperty("detail").GetString());

        var write = await (await client.PostRaw("/api/insights/definitions", """{"key":"x","kind":"never"}""")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("Nothing was changed", write.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Every_wrong_type_in_a_body_is_named_in_one_answer_with_what_it_expects()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var problem = await (await client.PostRaw("/api/webhooks",
            """{"url":42,"event_types":"insight.triggered","rate_limit_per_second":"ten","ordered":"yes","backfill_since":"yesterday","filters":{"health_drop_gte":1.5}}""")).Json(HttpStatusCode.BadRequest);
        var errors = Errors(problem);
        Assert.Equal("must be a string, not a number", errors["url"][0]);
        Assert.Equal("must be a JSON array, not a string", errors["event_types"][0]);
        Assert.Equal("must be a whole number, not a string", errors["rate_limit_per_second"][0]);
        Assert.Equal("must be true or false, not a string", errors["ordered"][0]);
        Assert.Contains("ISO 8601", errors["backfill_since"][0]);
        Assert.Contains("1.5 is not a whole number", errors["filters.health_drop_gte"][0]);

        var events = await (await client.PostRaw("/api/events",
            """[{"event_id":1,"account_id":"a","event":"login","timestamp":"last tuesday"},{"event_id":"x","account_id":null,"event":"login","timestamp":"2026-11-20T10:00:00Z","properties":[1]}]""")).Json(HttpStatusCode.BadRequest);
        var eventErrors = Errors(events);
        Assert.Contains("must be a string", eventErrors["[0].event_id"][0]);
        Assert.Contains("ISO 8601", eventErrors["[0].timestamp"][0]);
        Assert.Contains("is required", eventErrors["[1].account_id"][0]);
        Assert.Contains("object", eventErrors["[1].properties"][0]);
    }

    [Fact]
    public async Task Null_for_a_required_field_is_a_400_naming_it()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var definition = await (await client.PostRaw("/api/insights/definitions", """{"key":null,"kind":"inactivity","days":14}""")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("must not be null", Errors(definition)["key"][0]);
        var webhook = await (await client.PostRaw("/api/webhooks",
            """{"url":"https://example.com/h","event_types":["insight.triggered"],"headers":{"X-A":null}}""")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("must not be null", Errors(webhook)["headers.X-A"][0]);
        var components = await (await client.PutAsync("/api/health-model", new StringContent("""{"base":50,"components":null}""", Encoding.UTF8, "application/json"))).Json(HttpStatusCode.BadRequest);
        Assert.Contains("must not be null", Errors(components)["components"][0]);
        var body = await (await client.PostRaw("/api/insights/definitions", "null")).Json(HttpStatusCode.BadRequest);
        Assert.True(Errors(body).ContainsKey("$"));
    }

    [Fact]
    public async Task Too_deep_json_says_depth_is_the_problem_and_gives_the_limit()
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var deep = new string('[', 100) + new string(']', 100);
        var traits = await (await client.PutAsync("/api/accounts/acme/traits",
            new StringContent($$"""{"plan":{{deep}}}""", Encoding.UTF8, "application/json"))).Json(HttpStatusCode.BadRequest);
        Assert.Contains("32 levels deep", Errors(traits)["$"][0]);
        Assert.DoesNotContain("not valid JSON", Errors(traits)["$"][0]);
        var events = await (await client.PostRaw("/api/events",
            $$$"""[{"event_id":"e1","account_id":"acme","event":"login","timestamp":"2026-11-20T10:00:00Z","properties":{"x":{{{deep}}}}}]""")).Json(HttpStatusCode.BadRequest);
        Assert.Contains("32 levels deep", Errors(events)["$"][0]);
    }

    [Theory]
    [InlineData("GET", "/api/webhooks/x", "No webhook endpoint 'x'.")]
    [InlineData("DELETE", "/api/webhooks/not-a-uuid", "No webhook endpoint 'not-a-uuid'.")]
    [InlineData("GET", "/api/webhooks/x/deliveries", "No webhook endpoint 'x'.")]
    [InlineData("POST", "/api/deliveries/x/retry", "No delivery 'x'.")]
    [InlineData("GET", "/api/datalake/exports/x", "No export 'x'.")]
    [InlineData("DELETE", "/api/datalake/schedules/x", "No export schedule 'x'.")]
    [InlineData("DELETE", "/api/workspace/api-keys/x", "No API key 'x'.")]
    public async Task A_malformed_id_in_a_path_is_a_404_naming_the_resource(string method, string path, string detail)
    {
        var (client, _) = await factory.CreateWorkspaceAsync();
        var problem = await (await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).Json(HttpStatusCode.NotFound);
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }
}
