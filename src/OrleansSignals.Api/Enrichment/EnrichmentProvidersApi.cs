using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Enrichment;
using OrleansSignals.Enrichment.Providers;

namespace OrleansSignals.Api.Enrichment;

/// <summary><c>/api/enrichment/providers</c>: a workspace's enrichment providers. Header values are write-only.</summary>
public static class EnrichmentProvidersApi
{
    public sealed record ProviderList(IReadOnlyList<ProviderView> Items);

    public static RouteGroupBuilder MapEnrichmentProvidersApi(this RouteGroupBuilder group)
    {
        group.MapPost("/providers", UpsertAsync).Accepts<ProviderRequest>("application/json");
        group.MapGet("/providers", ListAsync);
        group.MapDelete("/providers/{name}", DeleteAsync);
        return group;
    }

    /// <summary>Creates a provider (201), or replaces the one with that name, headers included (200).</summary>
    public static async Task<Results<Created<ProviderView>, Ok<ProviderView>, ValidationProblem>> UpsertAsync(
        HttpContext http, ProviderStore store, IOptions<EnrichmentOptions> options, CancellationToken cancellationToken)
    {
        var (request, error) = await JsonBody.ReadAsync<ProviderRequest>(http.Request, cancellationToken, "name", "url");
        if (error is not null) return ApiProblems.Invalid(error);
        var errors = ProviderValidator.Validate(request!, options.Value.AllowPrivateNetworks, out var mapping);
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        var (view, created) = await store.UpsertAsync(http.WorkspaceId(), request!, mapping, cancellationToken);
        return created ? TypedResults.Created($"/api/enrichment/providers/{view.Name}", view) : TypedResults.Ok(view);
    }

    public static async Task<Ok<ProviderList>> ListAsync(HttpContext http, ProviderStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ProviderList(await store.ListAsync(http.WorkspaceId(), cancellationToken)));

    /// <summary>Deletes the provider; a running batch fails the steps that still needed it.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string name, HttpContext http, ProviderStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(http.WorkspaceId(), name, cancellationToken) ? TypedResults.NoContent() : ApiProblems.NotFound($"No provider '{name}'.");
}
