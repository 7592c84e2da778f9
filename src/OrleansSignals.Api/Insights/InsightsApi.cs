using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Grains;
using OrleansSignals.Grains.Insights;
using OrleansSignals.Grains.Workspaces;

namespace OrleansSignals.Api.Insights;

/// <summary>Insight definitions: <c>/api/insights/definitions</c>. Any change re-evaluates the workspace's accounts.</summary>
public static class InsightsApi
{
    public sealed record DefinitionList(IReadOnlyList<InsightDefinition> Items);

    public static RouteGroupBuilder MapInsightsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/insights/definitions").WithTags("Insights");
        group.MapGet("/", ListAsync);
        group.MapGet("/{key}", GetAsync);
        group.MapPost("/", CreateAsync).Accepts<InsightDefinition>("application/json");
        group.MapPut("/{key}", ReplaceAsync).Accepts<InsightDefinition>("application/json");
        group.MapDelete("/{key}", DeleteAsync);
        return api;
    }

    public static async Task<Ok<DefinitionList>> ListAsync(HttpContext http, IGrainFactory grains) =>
        TypedResults.Ok(new DefinitionList((await Workspace(http, grains).GetConfigAsync()).Definitions));

    public static async Task<Results<Ok<InsightDefinition>, ProblemHttpResult>> GetAsync(string key, HttpContext http, IGrainFactory grains)
    {
        var config = await Workspace(http, grains).GetConfigAsync();
        return config.Definitions.FirstOrDefault(d => d.Key == key) is { } found
            ? TypedResults.Ok(found)
            : ApiProblems.NotFound($"No insight definition '{key}'.");
    }

    public static async Task<Results<Created<InsightDefinition>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (definition, bodyErrors) = await JsonBody.ReadAsync<InsightDefinition>(http.Request, cancellationToken);
        if (bodyErrors is not null) return ApiProblems.Invalid(bodyErrors);
        var errors = InsightDefinitionValidator.Validate(definition!);
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        var workspace = Workspace(http, grains);
        if ((await workspace.GetConfigAsync()).Definitions.Any(d => d.Key == definition!.Key))
            return TypedResults.Problem(detail: $"An insight '{definition!.Key}' exists; PUT /api/insights/definitions/{definition.Key} replaces it.",
                statusCode: StatusCodes.Status409Conflict, title: "Conflict.");
        await workspace.UpsertDefinitionAsync(definition!);
        return TypedResults.Created($"/api/insights/definitions/{definition!.Key}", definition);
    }

    public static async Task<Results<Ok<InsightDefinition>, ValidationProblem>> ReplaceAsync(
        string key, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (definition, bodyErrors) = await JsonBody.ReadAsync<InsightDefinition>(http.Request, cancellationToken);
        if (bodyErrors is not null) return ApiProblems.Invalid(bodyErrors);
        if (definition!.Key.Length == 0) definition = definition with { Key = key };
        var errors = InsightDefinitionValidator.Validate(definition);
        if (definition.Key != key) errors.Add(new FieldError("key", $"'{definition.Key}' differs from the key in the URL ('{key}')"));
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        await Workspace(http, grains).UpsertDefinitionAsync(definition);
        return TypedResults.Ok(definition);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string key, HttpContext http, IGrainFactory grains) =>
        await Workspace(http, grains).DeleteDefinitionAsync(key)
            ? TypedResults.NoContent()
            : ApiProblems.NotFound($"No insight definition '{key}'.");

    private static IWorkspaceGrain Workspace(HttpContext http, IGrainFactory grains) => grains.GetGrain<IWorkspaceGrain>(http.WorkspaceId());
}
