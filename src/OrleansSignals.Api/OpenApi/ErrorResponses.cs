using Microsoft.OpenApi;

namespace OrleansSignals.Api.OpenApi;

/// <summary>
/// The errors a route can answer, as problem details (RFC 7807). Every /api route: 400 (an unknown or invalid query
/// parameter), 401, 429 and 503; a route with an id in its path: 404; with a body: 413 and 415; and the conflicts and
/// gateway errors of the routes listed here.
/// </summary>
public static class ErrorResponses
{
    private static readonly HashSet<string> Conflicts =
    [
        "POST /api/insights/definitions", "POST /api/workspace/api-keys", "POST /api/workspaces/{id}/api-keys",
        "DELETE /api/workspace/api-keys/{id}", "DELETE /api/workspaces/{id}/api-keys/{keyId}",
        "DELETE /api/datalake/exports/{id}", "GET /api/datalake/exports/{id}/download",
    ];

    /// <summary>Routes that take no API key: no 401, and no bearer requirement in the document.</summary>
    public static readonly HashSet<string> Anonymous = ["/api/unsubscribe"];

    private static readonly HashSet<string> BadGateways = ["DELETE /api/datalake/exports/{id}", "GET /api/datalake/exports/{id}/download"];

    public static void Add(OpenApiOperation operation, string method, string route)
    {
        operation.Responses ??= [];
        var name = $"{method} {route}";
        Problem(operation, "400", "The request is invalid: `errors` names each bad field or query parameter and what it expects. Nothing was changed.");
        if (!Anonymous.Contains(route)) Problem(operation, "401", "No API key, or one that is not valid (the operator token for /api/workspaces).");
        if (route.Contains('{')) Problem(operation, "404", "No such resource in this workspace; the detail names it (a malformed id too).");
        if (Conflicts.Contains(name)) Problem(operation, "409", "The resource's state does not allow this now; the detail says why and what to do.");
        if (operation.RequestBody is not null)
        {
            Problem(operation, "413", "The body (or, for traits, the resulting set) is larger than this route accepts; the detail gives the limit.");
            Problem(operation, "415", "The Content-Type is not one this route reads (application/json; NDJSON for events; a form for /api/unsubscribe).");
        }
        Problem(operation, "429", "Too many requests for this API key; retry after the Retry-After header's seconds.");
        if (BadGateways.Contains(name)) Problem(operation, "502", "The export's destination (an S3 bucket) refused or could not be reached.");
        Problem(operation, "503", "PostgreSQL or a silo of the cluster is unavailable; retry after the Retry-After header's seconds.");
    }

    private static void Problem(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.TryGetValue(status, out var existing))
        {
            if (existing is OpenApiResponse response) response.Description = description;
            return;
        }
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = Schema() } },
        };
    }

    private static OpenApiSchema Schema() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "Problem details (RFC 7807).",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI identifying the kind of problem." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A short summary of the kind of problem." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The HTTP status code." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong with this request and what to do." },
            ["trace_id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace id, for the operator's logs." },
        },
    };
}
