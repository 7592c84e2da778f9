using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Signals.Delivery;

namespace OrleansSignals.Api.Signals;

/// <summary>
/// Delivery configs: <c>/api/signals/delivery-configs</c>, unique per (signal type, destination type); and the
/// vendor credentials they use, <c>PUT /api/integrations/attio</c>.
/// </summary>
public static class DeliveryConfigsApi
{
    public sealed record ConfigList(IReadOnlyList<DeliveryConfig> Items);

    public static RouteGroupBuilder MapDeliveryConfigsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/signals/delivery-configs").WithTags("Signals");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapPost("/", CreateAsync).Accepts<DeliveryConfig>("application/json");
        group.MapPut("/{id:guid}", ReplaceAsync).Accepts<DeliveryConfig>("application/json");
        group.MapDelete("/{id:guid}", DeleteAsync);
        api.MapPut("/integrations/attio", SetAttioAsync).WithTags("Signals");
        api.MapDelete("/integrations/attio", DeleteAttioAsync).WithTags("Signals");
        return api;
    }

    public static async Task<Ok<ConfigList>> ListAsync(HttpContext http, DeliveryConfigStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ConfigList(await store.ListAsync(http.WorkspaceId(), cancellationToken)));

    public static async Task<Results<Ok<DeliveryConfig>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, DeliveryConfigStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(http.WorkspaceId(), id, cancellationToken) is { } found ? TypedResults.Ok(found) : NotFound(id);

    public static async Task<Results<Created<DeliveryConfig>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpContext http, DeliveryConfigStore store, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<JsonElement>(http.Request, cancellationToken);
        if (error is not null) return ApiProblems.Invalid(error);
        var (config, errors) = DeliveryConfigParser.Parse(body, Guid.CreateVersion7());
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        return await store.InsertAsync(http.WorkspaceId(), config!, cancellationToken) is { } stored
            ? TypedResults.Created($"/api/signals/delivery-configs/{stored.Id}", stored)
            : Conflict(config!);
    }

    public static async Task<Results<Ok<DeliveryConfig>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        Guid id, HttpContext http, DeliveryConfigStore store, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<JsonElement>(http.Request, cancellationToken);
        if (error is not null) return ApiProblems.Invalid(error);
        var (config, errors) = DeliveryConfigParser.Parse(body, id);
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        var (stored, conflict) = await store.ReplaceAsync(http.WorkspaceId(), config!, cancellationToken);
        if (conflict) return Conflict(config!);
        return stored is null ? NotFound(id) : TypedResults.Ok(stored);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, HttpContext http, DeliveryConfigStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(http.WorkspaceId(), id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    /// <summary><c>{"api_key"}</c>: an Attio access token with the record and list entry read-write scopes.</summary>
    public static async Task<Results<NoContent, ValidationProblem>> SetAttioAsync(
        HttpContext http, IntegrationStore integrations, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<JsonElement>(http.Request, cancellationToken);
        if (error is not null) return ApiProblems.Invalid(error);
        var f = new OrleansSignals.Signals.JsonFields(body, ["api_key"]);
        var key = f.String("api_key", required: true);
        if (key is { Length: 0 or > 500 }) f.Fail("api_key", "must be 1-500 characters");
        if (f.Errors.Count > 0) return ApiProblems.Invalid(f.Errors);
        await integrations.SetAsync(http.WorkspaceId(), IntegrationStore.Attio, body, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<NoContent> DeleteAttioAsync(HttpContext http, IntegrationStore integrations, CancellationToken cancellationToken)
    {
        await integrations.DeleteAsync(http.WorkspaceId(), IntegrationStore.Attio, cancellationToken);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound(Guid id) => ApiProblems.NotFound($"No delivery config {id}.");

    private static ProblemHttpResult Conflict(DeliveryConfig c) => TypedResults.Problem(
        detail: $"The workspace has a delivery config for signal type '{c.SignalType}' and destination type '{c.DestinationType}'; PUT /api/signals/delivery-configs/{{id}} replaces it.",
        statusCode: StatusCodes.Status409Conflict, title: "Conflict.");
}
