using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Storage;

namespace OrleansSignals.Api.Workspaces;

/// <summary><c>POST /api/workspaces</c> (operator token) and <c>GET /api/workspace</c> (the caller's own).</summary>
public static class WorkspacesApi
{
    public sealed record CreateWorkspace(string? Name);

    public sealed record CreatedWorkspace(string Id, string Name, string ApiKey, DateTimeOffset CreatedAt);

    public sealed record WorkspaceInfo(string Id, string Name, DateTimeOffset CreatedAt);

    public static RouteGroupBuilder MapWorkspacesApi(this RouteGroupBuilder admin, RouteGroupBuilder api)
    {
        admin.MapPost("/workspaces", CreateAsync).WithTags("Workspaces").Accepts<CreateWorkspace>("application/json");
        api.MapGet("/workspace", GetAsync).WithTags("Workspaces");
        return admin;
    }

    public static async Task<Results<Created<CreatedWorkspace>, ValidationProblem>> CreateAsync(HttpContext http, WorkspaceDirectory directory, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<CreateWorkspace>(http.Request, cancellationToken);
        if (error is not null) return Problems.Problems.Invalid([error]);
        var name = body!.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) return Problems.Problems.Invalid("name", "is required: 1-200 characters");
        var created = await directory.CreateAsync(name, cancellationToken);
        return TypedResults.Created($"/api/workspace", new CreatedWorkspace(created.Id, created.Name, created.ApiKey, created.CreatedAt));
    }

    public static async Task<Ok<WorkspaceInfo>> GetAsync(HttpContext http, WorkspaceDirectory directory, CancellationToken cancellationToken)
    {
        var workspace = (await directory.GetAsync(http.WorkspaceId(), cancellationToken))!.Value;
        return TypedResults.Ok(new WorkspaceInfo(workspace.Id, workspace.Name, workspace.CreatedAt));
    }
}
