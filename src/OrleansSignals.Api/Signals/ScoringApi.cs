using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Signals;
using OrleansSignals.Signals.Scoring;

namespace OrleansSignals.Api.Signals;

/// <summary>Scores: <c>GET /api/signals/aggregates</c>, and the outcome they are scored against, <c>/api/signals/scoring</c>.</summary>
public static class ScoringApi
{
    public sealed record AggregateList(IReadOnlyList<SignalAggregate> Items);

    public static RouteGroupBuilder MapScoringApi(this RouteGroupBuilder api)
    {
        api.MapGet("/signals/aggregates", ListAsync).WithTags("Signals");
        api.MapGet("/signals/scoring", GetAsync).WithTags("Signals");
        api.MapPut("/signals/scoring", SetAsync).WithTags("Signals").Accepts<ScoringSettings>("application/json");
        return api;
    }

    /// <summary>Each definition's latest score; with <c>type</c>, that definition's scores, newest first.</summary>
    public static async Task<Ok<AggregateList>> ListAsync(HttpContext http, ScoringStore store, string? type, CancellationToken cancellationToken) =>
        TypedResults.Ok(new AggregateList(await store.LatestAsync(http.WorkspaceId(), type, cancellationToken)));

    public static async Task<Results<Ok<ScoringSettings>, ProblemHttpResult>> GetAsync(HttpContext http, ScoringStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(http.WorkspaceId(), cancellationToken) is { } settings
            ? TypedResults.Ok(settings)
            : ApiProblems.NotFound("No outcome is configured: PUT /api/signals/scoring {\"outcome_event\", \"outcome_days\", \"min_support\"}.");

    public static async Task<Results<Ok<ScoringSettings>, ValidationProblem>> SetAsync(HttpContext http, ScoringStore store, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<JsonElement>(http.Request, cancellationToken);
        if (error is not null) return ApiProblems.Invalid(error);
        var f = new JsonFields(body, ["outcome_event", "outcome_days", "min_support"]);
        var outcome = f.String("outcome_event", required: true);
        if (outcome is { Length: 0 or > 200 }) f.Fail("outcome_event", "must be 1-200 characters");
        var days = f.Integer("outcome_days") ?? 30;
        if (days is < 1 or > 365) f.Fail("outcome_days", "must be between 1 and 365");
        var support = f.Integer("min_support") ?? 30;
        if (support is < 1 or > 1_000_000) f.Fail("min_support", "must be between 1 and 1000000");
        if (f.Errors.Count > 0) return ApiProblems.Invalid(f.Errors);
        var settings = new ScoringSettings(outcome!, days, support);
        await store.SetAsync(http.WorkspaceId(), settings, cancellationToken);
        return TypedResults.Ok(settings);
    }
}
