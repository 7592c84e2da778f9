using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Storage;

namespace OrleansSignals.Api.Workspaces;

/// <summary>
/// <c>POST</c>/<c>GET /api/workspaces</c> and <c>/api/workspaces/{id}/api-keys</c> (operator token); <c>GET /api/workspace</c> and
/// <c>/api/workspace/api-keys</c> (the caller's own workspace and its keys: list, add, revoke).
/// </summary>
public static class WorkspacesApi
{
    public sealed record CreateWorkspace(string? Name);

    public sealed record CreatedWorkspace(string Id, string Name, string ApiKey, DateTimeOffset CreatedAt);

    public sealed record WorkspaceInfo(string Id, string Name, DateTimeOffset CreatedAt);

    public sealed record CreateKey
    {
        public string? Name { get; init; }
    }

    /// <summary>A new key; <see cref="ApiKey"/> is shown this once.</summary>
    public sealed record CreatedKey(Guid Id, string ApiKey, string Prefix, string? Name, DateTimeOffset CreatedAt);

    public sealed record KeyList(IReadOnlyList<WorkspaceDirectory.ApiKeyInfo> Items);

    public static RouteGroupBuilder MapWorkspacesApi(this RouteGroupBuilder admin, RouteGroupBuilder api)
    {
        admin.MapPost("/workspaces", CreateAsync).WithTags("Workspaces").Accepts<CreateWorkspace>("application/json");
        admin.MapGet("/workspaces", ListAsync).WithTags("Workspaces");
        admin.MapPost("/workspaces/{id}/api-keys", CreateKeyForAsync).WithTags("Workspaces").Accepts<CreateKey>("application/json");
        admin.MapGet("/workspaces/{id}/api-keys", ListKeysForAsync).WithTags("Workspaces");
        admin.MapDelete("/workspaces/{id}/api-keys/{keyId}", RevokeKeyForAsync).WithTags("Workspaces").WithMetadata(new Input.RouteResource("keyId", "API key"));
        api.MapGet("/workspace", GetAsync).WithTags("Workspaces");
        api.MapGet("/workspace/api-keys", ListKeysAsync).WithTags("Workspaces");
        api.MapPost("/workspace/api-keys", CreateKeyAsync).WithTags("Workspaces").Accepts<CreateKey>("application/json");
        api.MapDelete("/workspace/api-keys/{id}", RevokeKeyAsync).WithTags("Workspaces").WithMetadata(new Input.RouteResource("id", "API key"));
        return admin;
    }

    public static async Task<Results<Created<CreatedWorkspace>, ValidationProblem>> CreateAsync(HttpContext http, WorkspaceDirectory directory, CancellationToken cancellationToken)
    {
        var (body, bodyErrors) = await JsonBody.ReadAsync<CreateWorkspace>(http.Request, cancellationToken);
        if (bodyErrors is not null) return ApiProblems.Invalid(bodyErrors);
        var name = body!.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200) return ApiProblems.Invalid("name", "is required: 1-200 characters");
        var created = await directory.CreateAsync(name, cancellationToken);
        return TypedResults.Created($"/api/workspace", new CreatedWorkspace(created.Id, created.Name, created.ApiKey, created.CreatedAt));
    }

    public static async Task<Ok<WorkspaceInfo>> GetAsync(HttpContext http, WorkspaceDirectory directory, CancellationToken cancellationToken)
    {
        var workspace = (await directory.GetAsync(http.WorkspaceId(), cancellationToken))!.Value;
        return TypedResults.Ok(new WorkspaceInfo(workspace.Id, workspace.Name, workspace.CreatedAt));
    }

    public sealed record WorkspaceList(IReadOnlyList<WorkspaceDirectory.WorkspaceSummary> Items);

    /// <summary>The operator's list of workspaces: ids, names, and how many active keys each has.</summary>
    public static async Task<Ok<WorkspaceList>> ListAsync(WorkspaceDirectory directory, CancellationToken cancellationToken) =>
        TypedResults.Ok(new WorkspaceList(await directory.ListAsync(cancellationToken)));

    public static async Task<Ok<KeyList>> ListKeysAsync(HttpContext http, WorkspaceDirectory directory, CancellationToken cancellationToken) =>
        TypedResults.Ok(new KeyList(await directory.ListKeysAsync(http.WorkspaceId(), WorkspaceAuth.BearerToken(http.Request)!, cancellationToken)));

    /// <summary>The operator's view of a workspace's keys, e.g. to find and revoke one that leaked.</summary>
    public static async Task<Results<Ok<KeyList>, ProblemHttpResult>> ListKeysForAsync(string id, WorkspaceDirectory directory, CancellationToken cancellationToken) =>
        await directory.GetAsync(id, cancellationToken) is null
            ? ApiProblems.NotFound($"No workspace {id}.")
            : TypedResults.Ok(new KeyList(await directory.ListKeysAsync(id, null, cancellationToken)));

    public static Task<Results<NoContent, ProblemHttpResult>> RevokeKeyForAsync(
        string id, Guid keyId, WorkspaceDirectory directory, CancellationToken cancellationToken) => RevokeAsync(directory, id, keyId, cancellationToken);

    public static Task<Results<Created<CreatedKey>, ValidationProblem, ProblemHttpResult>> CreateKeyAsync(
        HttpContext http, WorkspaceDirectory directory, CancellationToken cancellationToken) =>
        NewKeyAsync(http, directory, http.WorkspaceId(), "/api/workspace/api-keys", cancellationToken);

    /// <summary>The operator's way back in for a workspace whose keys are lost.</summary>
    public static Task<Results<Created<CreatedKey>, ValidationProblem, ProblemHttpResult>> CreateKeyForAsync(
        string id, HttpContext http, WorkspaceDirectory directory, CancellationToken cancellationToken) =>
        NewKeyAsync(http, directory, id, $"/api/workspaces/{id}/api-keys", cancellationToken);

    public static Task<Results<NoContent, ProblemHttpResult>> RevokeKeyAsync(
        Guid id, HttpContext http, WorkspaceDirectory directory, CancellationToken cancellationToken) => RevokeAsync(directory, http.WorkspaceId(), id, cancellationToken);

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        WorkspaceDirectory directory, string workspaceId, Guid id, CancellationToken cancellationToken) =>
        await directory.RevokeKeyAsync(workspaceId, id, cancellationToken) switch
        {
            WorkspaceDirectory.RevokeResult.Revoked => TypedResults.NoContent(),
            WorkspaceDirectory.RevokeResult.LastActiveKey => TypedResults.Problem(
                detail: $"Key {id} is the workspace's last active key: revoking it would lock the workspace out. Create another key first.",
                statusCode: StatusCodes.Status409Conflict, title: "Conflict."),
            _ => ApiProblems.NotFound($"No API key '{id}' in this workspace."),
        };

    private static async Task<Results<Created<CreatedKey>, ValidationProblem, ProblemHttpResult>> NewKeyAsync(
        HttpContext http, WorkspaceDirectory directory, string workspaceId, string listedAt, CancellationToken cancellationToken)
    {
        string? name = null;
        // The body is optional: a bare POST makes an unnamed key. (An HTTP/2 body may come without a length.)
        var canHaveBody = http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody
            ?? (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0);
        if (canHaveBody && http.Request.ContentLength is not 0)
        {
            var (body, bodyErrors) = await JsonBody.ReadAsync<CreateKey>(http.Request, cancellationToken);
            if (bodyErrors is not null) return ApiProblems.Invalid(bodyErrors);
            name = body!.Name?.Trim();
            if (name is { Length: 0 or > 200 } || (name?.Any(char.IsControl) ?? false))
                return ApiProblems.Invalid("name", "must be 1-200 characters without control characters");
        }
        var (result, key, apiKey) = await directory.CreateKeyAsync(workspaceId, name, cancellationToken);
        return result switch
        {
            WorkspaceDirectory.CreateKeyResult.Created => TypedResults.Created(listedAt, new CreatedKey(key!.Id, apiKey!, key.Prefix, key.Name, key.CreatedAt)),
            WorkspaceDirectory.CreateKeyResult.TooManyKeys => TypedResults.Problem(
                detail: $"The workspace has {WorkspaceDirectory.MaxActiveKeys} active keys, the most it may hold. Revoke one first.",
                statusCode: StatusCodes.Status409Conflict, title: "Conflict."),
            _ => ApiProblems.NotFound($"No workspace {workspaceId}."),
        };
    }
}
