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
            : ApiProblems.NotFound("No outcome is configured: PUT /api/signals/scoring {\"outcome_event\" or \"outcome_trait\", \"outcome_days\", \"min_support\"}.");

    public static async Task<Results<Ok<ScoringSettings>, ValidationProblem>> SetAsync(HttpContext http, ScoringStore store, CancellationToken cancellationToken)
    {
        var (body, error) = await JsonBody.ReadAsync<JsonElement>(http.Request, cancellationToken);
        if (error is not null) return ApiProblems.Invalid(error);
        var f = new JsonFields(body, ["outcome_event", "outcome_trait", "outcome_days", "min_support"]);
        var outcome = f.String("outcome_event");
        if (outcome is { Length: 0 or > 200 }) f.Fail("outcome_event", "must be 1-200 characters");
        var trait = f.Element("outcome_trait") is { } t ? ReadTrait(t, f) : null;
        if (f.Has("outcome_event") == f.Has("outcome_trait"))
            f.Fail(f.Has("outcome_event") ? "outcome_trait" : "outcome_event", "exactly one of outcome_event and outcome_trait is required");
        var days = f.Integer("outcome_days") ?? 30;
        if (days is < 1 or > 365) f.Fail("outcome_days", "must be between 1 and 365");
        var support = f.Integer("min_support") ?? 30;
        if (support is < 1 or > 1_000_000) f.Fail("min_support", "must be between 1 and 1000000");
        if (f.Errors.Count > 0) return ApiProblems.Invalid(f.Errors);
        var settings = new ScoringSettings(outcome, trait, days, support);
        await store.SetAsync(http.WorkspaceId(), settings, cancellationToken);
        return TypedResults.Ok(settings);
    }

    /// <summary><c>{"name": "plan", "equals": "enterprise"}</c>: a name and exactly one operator; errors named <c>outcome_trait.*</c>.</summary>
    private static TraitOutcome? ReadTrait(JsonElement element, JsonFields parent)
    {
        var f = new JsonFields(element, ["name", "equals", "gte", "lte"], "outcome_trait.");
        var name = f.String("name", required: true);
        if (name is { Length: 0 or > 200 }) f.Fail("name", "must be 1-200 characters");
        var equals = f.Element("equals");
        if (equals is { ValueKind: JsonValueKind.Object or JsonValueKind.Array }) f.Fail("equals", "must be a string, number or boolean");
        var (gte, lte) = (f.Number("gte"), f.Number("lte"));
        if (f.IsObject && new[] { "equals", "gte", "lte" }.Count(f.Has) != 1) parent.Fail("outcome_trait", "needs exactly one operator: equals, gte or lte");
        parent.Errors.AddRange(f.Errors);
        return f.Errors.Count == 0 ? new TraitOutcome(name!, equals?.Clone(), gte, lte) : null;
    }
}
