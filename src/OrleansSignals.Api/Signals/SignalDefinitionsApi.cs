using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Grains;
using OrleansSignals.Signals.Definitions;
using OrleansSignals.Signals.Pipeline;

namespace OrleansSignals.Api.Signals;

/// <summary>
/// Signal definitions: <c>/api/signals/definitions</c> (type unique per workspace), and agent-discovered candidates
/// (<c>POST /api/signals/candidates</c>: stored inactive, origin agent).
/// </summary>
public static class SignalDefinitionsApi
{
    public sealed record DefinitionList(IReadOnlyList<SignalDefinition> Items);

    public static RouteGroupBuilder MapSignalDefinitionsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/signals/definitions").WithTags("Signals");
        group.MapGet("/", ListAsync);
        group.MapGet("/{type}", GetAsync);
        group.MapPost("/", CreateAsync).Accepts<SignalDefinition>("application/json");
        group.MapPut("/{type}", ReplaceAsync).Accepts<SignalDefinition>("application/json");
        group.MapDelete("/{type}", DeleteAsync);
        api.MapPost("/signals/candidates", CreateCandidateAsync).WithTags("Signals").Accepts<SignalDefinition>("application/json");
        return api;
    }

    public static async Task<Ok<DefinitionList>> ListAsync(HttpContext http, SignalDefinitionStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new DefinitionList(await store.ListAsync(http.WorkspaceId(), activeOnly: false, cancellationToken)));

    public static async Task<Results<Ok<SignalDefinition>, ProblemHttpResult>> GetAsync(
        string type, HttpContext http, SignalDefinitionStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(http.WorkspaceId(), type, cancellationToken) is { } found ? TypedResults.Ok(found) : NotFound(type);

    public static Task<Results<Created<SignalDefinition>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpContext http, SignalDefinitionStore store, IGrainFactory grains, CancellationToken cancellationToken) =>
        CreateCoreAsync(http, store, grains, candidate: false, cancellationToken);

    /// <summary>An agent's candidate: a definition with origin agent, inactive until promoted.</summary>
    public static Task<Results<Created<SignalDefinition>, ValidationProblem, ProblemHttpResult>> CreateCandidateAsync(
        HttpContext http, SignalDefinitionStore store, IGrainFactory grains, CancellationToken cancellationToken) =>
        CreateCoreAsync(http, store, grains, candidate: true, cancellationToken);

    public static async Task<Results<Ok<SignalDefinition>, ValidationProblem>> ReplaceAsync(
        string type, HttpContext http, SignalDefinitionStore store, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<JsonElement>(http.Request, cancellationToken);
        if (error is not null) return ApiProblems.Invalid(error);
        var (definition, errors) = SignalDefinitionParser.Parse(body, typeFromRoute: type);
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        var stored = await store.UpsertAsync(http.WorkspaceId(), definition!, cancellationToken);
        if (stored.IsActive) await grains.GetGrain<IPipelineGrain>(http.WorkspaceId()).RunSoonAsync();
        return TypedResults.Ok(stored);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string type, HttpContext http, SignalDefinitionStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(http.WorkspaceId(), type, cancellationToken) ? TypedResults.NoContent() : NotFound(type);

    private static async Task<Results<Created<SignalDefinition>, ValidationProblem, ProblemHttpResult>> CreateCoreAsync(
        HttpContext http, SignalDefinitionStore store, IGrainFactory grains, bool candidate, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<JsonElement>(http.Request, cancellationToken);
        if (error is not null) return ApiProblems.Invalid(error);
        var (definition, errors) = SignalDefinitionParser.Parse(body);
        if (candidate && definition is not null)
        {
            if (body.TryGetProperty("origin", out var origin) && origin.GetString() != SignalVocabulary.Agent)
                errors.Add(new FieldError("origin", "a candidate's origin is 'agent'"));
            if (body.TryGetProperty("is_active", out var active) && active.ValueKind == JsonValueKind.True)
                errors.Add(new FieldError("is_active", "a candidate is inactive until it is promoted"));
            definition = definition with { Origin = SignalVocabulary.Agent, IsActive = false };
        }
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        var workspace = http.WorkspaceId();
        if (await store.InsertAsync(workspace, definition!, cancellationToken) is not { } stored)
            return TypedResults.Problem(detail: $"A signal definition of type '{definition!.Type}' exists; PUT /api/signals/definitions/{definition.Type} replaces it.",
                statusCode: StatusCodes.Status409Conflict, title: "Conflict.");
        // The workspace now has something to run: its pipeline grain holds the daily reminder from here on.
        if (stored.IsActive) await grains.GetGrain<IPipelineGrain>(workspace).RunSoonAsync();
        return TypedResults.Created($"/api/signals/definitions/{stored.Type}", stored);
    }

    private static ProblemHttpResult NotFound(string type) => ApiProblems.NotFound($"No signal definition of type '{type}'.");
}
