using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Signals.Delivery;
using OrleansSignals.Signals.PostHog;

namespace OrleansSignals.Api.Signals;

/// <summary>
/// <c>/api/integrations/posthog</c>: the workspace's PostHog (host, project, personal API key, and how events name
/// the account), used by <c>posthog</c> definitions and <c>posthog_cohort</c> deliveries. The key is never returned.
/// </summary>
public static class PostHogIntegrationApi
{
    public static RouteGroupBuilder MapPostHogIntegrationApi(this RouteGroupBuilder api)
    {
        api.MapPut("/integrations/posthog", SetAsync).WithTags("Signals");
        api.MapGet("/integrations/posthog", GetAsync).WithTags("Signals");
        api.MapDelete("/integrations/posthog", DeleteAsync).WithTags("Signals");
        return api;
    }

    public static async Task<Results<Ok<JsonObject>, ValidationProblem>> SetAsync(
        HttpContext http, IntegrationStore integrations, IOptions<PostHogOptions> options, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<JsonElement>(http.Request, cancellationToken);
        if (error is not null) return ApiProblems.Invalid(error);
        var (integration, errors) = PostHogIntegrationParser.Parse(body, PostHogEgress.Policy(options.Value));
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        await integrations.SetAsync(http.WorkspaceId(), IntegrationStore.PostHog, PostHogIntegrationParser.ToStored(integration!), cancellationToken);
        return TypedResults.Ok(PostHogIntegrationParser.ToView(integration!));
    }

    public static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> GetAsync(HttpContext http, IntegrationStore integrations, CancellationToken cancellationToken) =>
        await integrations.GetAsync(http.WorkspaceId(), IntegrationStore.PostHog, cancellationToken) is { } stored
            ? TypedResults.Ok(PostHogIntegrationParser.ToView(PostHogIntegrationParser.FromStored(stored)))
            : ApiProblems.NotFound("The workspace has no PostHog integration; PUT /api/integrations/posthog sets it.");

    public static async Task<NoContent> DeleteAsync(HttpContext http, IntegrationStore integrations, CancellationToken cancellationToken)
    {
        await integrations.DeleteAsync(http.WorkspaceId(), IntegrationStore.PostHog, cancellationToken);
        return TypedResults.NoContent();
    }
}
