using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Grains;
using OrleansSignals.Grains.Health;
using OrleansSignals.Grains.Workspaces;

namespace OrleansSignals.Api.Workspaces;

/// <summary><c>/api/health-model</c> and <c>/api/lifecycle-events</c>: the rest of a workspace's configuration.</summary>
public static class WorkspaceConfigApi
{
    public static RouteGroupBuilder MapWorkspaceConfigApi(this RouteGroupBuilder api)
    {
        api.MapGet("/health-model", async (HttpContext http, IGrainFactory grains) =>
            TypedResults.Ok((await Workspace(http, grains).GetConfigAsync()).HealthModel)).WithTags("Health");
        api.MapPut("/health-model", SetHealthModelAsync).WithTags("Health").Accepts<HealthModel>("application/json");
        api.MapGet("/lifecycle-events", async (HttpContext http, IGrainFactory grains) =>
            TypedResults.Ok((await Workspace(http, grains).GetConfigAsync()).LifecycleEvents)).WithTags("Lifecycle");
        api.MapPut("/lifecycle-events", SetLifecycleEventsAsync).WithTags("Lifecycle").Accepts<string[]>("application/json");
        return api;
    }

    public static async Task<Results<Ok<HealthModel>, ValidationProblem>> SetHealthModelAsync(HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (model, bodyErrors) = await JsonBody.ReadAsync<HealthModel>(http.Request, cancellationToken, "base");
        if (bodyErrors is not null) return ApiProblems.Invalid(bodyErrors);
        var errors = HealthModelValidator.Validate(model!);
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        return TypedResults.Ok((await Workspace(http, grains).SetHealthModelAsync(model!)).HealthModel);
    }

    public static async Task<Results<Ok<IReadOnlyList<string>>, ValidationProblem>> SetLifecycleEventsAsync(HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (events, bodyErrors) = await JsonBody.ReadAsync<List<string?>>(http.Request, cancellationToken);
        if (bodyErrors is not null) return ApiProblems.Invalid(bodyErrors);
        var errors = new List<FieldError>();
        for (var i = 0; i < events!.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(events[i]) || events[i]!.Length > 200) errors.Add(new FieldError($"[{i}]", "must be an event name of 1-200 characters"));
        }
        if (events.Count > 200) errors.Add(new FieldError("$", "at most 200 lifecycle events"));
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        return TypedResults.Ok((await Workspace(http, grains).SetLifecycleEventsAsync(events!)).LifecycleEvents);
    }

    private static IWorkspaceGrain Workspace(HttpContext http, IGrainFactory grains) => grains.GetGrain<IWorkspaceGrain>(http.WorkspaceId());
}
