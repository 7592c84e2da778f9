using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;

namespace OrleansSignals.Api.OpenApi;

/// <summary>
/// <c>/docs</c>: a browsable API reference rendered in the browser from <c>/openapi/v1.json</c> by one self-contained
/// page (no CDN: the product may run without internet access).
/// </summary>
public static class ApiReference
{
    public const string DocumentPath = "/openapi/v1.json";

    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(ApiReference).Assembly.GetManifestResourceStream("OrleansSignals.Api.OpenApi.reference.html")
                           ?? throw new InvalidOperationException("The API reference page is not embedded.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapGet("/docs", () => TypedResults.Bytes(Page.Value, "text/html; charset=utf-8")).ExcludeFromDescription();
        return app;
    }

    /// <summary>The document's own description, and only the product's routes in it (the Orleans dashboard documents itself).</summary>
    public static Task Describe(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "OrleansSignals API";
        document.Info.Description =
            "Live state of every customer account: ingest events, define insights and a health score, read accounts, receive signed webhooks, export datasets. "
            + "Authenticate with `Authorization: Bearer <workspace API key>`. Errors are RFC 7807 problem details that name each bad field; "
            + "unknown fields and query parameters are refused, never ignored. JSON uses snake_case names and ISO 8601 UTC times.";
        SchemaDocs.DescribeReferences(document);
        foreach (var path in document.Paths.Keys.Where(p => p.StartsWith("/dashboard", StringComparison.Ordinal)).ToList()) document.Paths.Remove(path);
        return Task.CompletedTask;
    }
}
