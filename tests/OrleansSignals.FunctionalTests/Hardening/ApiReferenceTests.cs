using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using OrleansSignals.FunctionalTests.Infrastructure;

namespace OrleansSignals.FunctionalTests.Hardening;

/// <summary>Issue 12, item 7: a browsable reference at /docs, and an OpenAPI document that is valid, complete and describes every route.</summary>
public sealed class ApiReferenceTests(SignalsFactory factory) : IClassFixture<SignalsFactory>
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    private async Task<JsonElement> Document()
    {
        using var client = factory.CreateClient();
        return await (await client.GetAsync("/openapi/v1.json")).Json(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_document_is_valid_openapi()
    {
        using var client = factory.CreateClient();
        await using var stream = await client.GetStreamAsync("/openapi/v1.json");
        var read = await OpenApiDocument.LoadAsync(stream, "json");
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        Assert.NotNull(read.Document);
        Assert.Empty(read.Document.Validate(ValidationRuleSet.GetDefaultRuleSet()) ?? []);
    }

    [Fact]
    public async Task Every_route_of_the_app_is_in_the_document()
    {
        var document = await Document();
        var paths = document.GetProperty("paths");
        var missing = new List<string>();
        var routes = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Where(e => !(e.RoutePattern.RawText ?? "").StartsWith("/dashboard", StringComparison.Ordinal))
            .ToList();
        Assert.True(routes.Count > 40, $"only {routes.Count} routes found");
        foreach (var endpoint in routes)
        {
            // The document writes a pattern without constraints or a trailing slash: /api/webhooks/{id}.
            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
                _ => "",
            }))));
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out _)) missing.Add($"{method} {path}");
            }
        }
        Assert.True(missing.Count == 0, "routes missing from the document: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task Every_operation_and_field_is_described_with_its_errors_closed_sets_and_optional_fields()
    {
        var document = await Document();
        var problems = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                var op = operation.Value;
                if (!op.TryGetProperty("summary", out _) || !op.TryGetProperty("description", out _)) problems.Add($"{name}: no summary or description");
                foreach (var parameter in op.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray() : default)
                {
                    if (!parameter.TryGetProperty("description", out _)) problems.Add($"{name}: parameter {parameter.GetProperty("name")} has no description");
                }
                if (!path.Name.StartsWith("/api/", StringComparison.Ordinal)) continue;
                var responses = op.GetProperty("responses");
                var expected = new List<string> { "400", "429", "503" };
                // A route that takes no API key says so with an empty security requirement, and has no 401.
                if (!(op.TryGetProperty("security", out var security) && security.GetArrayLength() == 0)) expected.Add("401");
                if (path.Name.Contains('{')) expected.Add("404");
                if (op.TryGetProperty("requestBody", out _)) expected.AddRange(["413", "415"]);
                foreach (var status in expected.Where(s => !responses.TryGetProperty(s, out _))) problems.Add($"{name}: no {status} response");
            }
        }
        foreach (var schema in document.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            foreach (var property in schema.Value.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : default)
            {
                if (!property.Value.TryGetProperty("description", out _)) problems.Add($"{schema.Name}.{property.Name} has no description");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        var schemas = document.GetProperty("components").GetProperty("schemas");
        string[] Enum(string schema, string field, bool items = false)
        {
            var property = schemas.GetProperty(schema).GetProperty("properties").GetProperty(field);
            return [.. (items ? property.GetProperty("items") : property).GetProperty("enum").EnumerateArray().Select(v => v.GetString()!)];
        }
        Assert.Equal(["event_count", "inactivity", "metric", "anomaly"], Enum("InsightDefinition", "kind"));
        Assert.Contains("gte", Enum("InsightDefinition", "operator"));
        Assert.Equal(["csv", "jsonl", "parquet"], Enum("ExportRequest", "format"));
        Assert.Equal(["none", "snappy", "gzip", "zstd", "brotli"], Enum("ExportRequest", "compression"));
        Assert.Contains("insight.triggered", Enum("WebhookRequest", "event_types", items: true));
        Assert.Contains("completed", Enum("ExportRunResponse", "status"));
        Assert.Contains("dead", Enum("DeliveryView", "status"));
        Assert.Contains("health_score.changed", Enum("HistoryEntry", "type"));

        // Optional fields are not required: next_cursor is absent on the last page.
        foreach (var page in new[] { "AccountPage", "HistoryPage" })
        {
            var required = schemas.GetProperty(page).TryGetProperty("required", out var r) ? r.EnumerateArray().Select(v => v.GetString()).ToList() : [];
            Assert.DoesNotContain("next_cursor", required);
        }
        // ...and what a request must hold is required, even where its type allows null to name a missing one.
        var webhook = schemas.GetProperty("WebhookRequest").GetProperty("required").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.Contains("url", webhook);
        Assert.Contains("event_types", webhook);
        Assert.DoesNotContain("description", webhook);
    }

    [Fact]
    public async Task Docs_is_a_self_contained_page_that_renders_the_document()
    {
        using var client = factory.CreateClient();
        var response = await client.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("/openapi/v1.json", html);
        // Nothing from another host: the product may run offline.
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("href=\"http", html);
        Assert.DoesNotContain("@import", html);
    }
}
