using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OrleansSignals.Api.OpenApi;

/// <summary>
/// Declares in the OpenAPI document how every /api route is authorised (a bearer token: the workspace API key,
/// or the operator token for /api/workspaces), so that generated clients send it.
/// </summary>
public static class BearerSecurity
{
    public const string SchemeName = "bearer";

    public static Task Apply(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The workspace API key (`Authorization: Bearer sk_...`); /api/workspaces routes (create, list, issue a key) take the operator token (Signals:AdminToken).",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] }];
        return Task.CompletedTask;
    }
}
