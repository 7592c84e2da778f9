using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Signals.Delivery;
using OrleansSignals.Signals.Evaluation;

namespace OrleansSignals.Api.Signals;

/// <summary>Signal occurrences: <c>GET /api/signals</c> (newest first, keyset pages) and where each was delivered.</summary>
public static class SignalsApi
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public sealed record OccurrencePage(IReadOnlyList<SignalOccurrence> Items, string? NextCursor);

    public sealed record DeliveryList(Guid SignalId, IReadOnlyList<DeliveryView> Items);

    public static RouteGroupBuilder MapSignalsApi(this RouteGroupBuilder api)
    {
        api.MapSignalDefinitionsApi();
        api.MapDeliveryConfigsApi();
        api.MapPostHogIntegrationApi();
        api.MapScoringApi();
        var group = api.MapGroup("/signals").WithTags("Signals");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:guid}", GetAsync);
        group.MapGet("/{id:guid}/deliveries", DeliveriesAsync);
        return api;
    }

    public static async Task<Results<Ok<OccurrencePage>, ValidationProblem>> ListAsync(
        HttpContext http, SignalQueries queries, string? type, string? account_id, string? since, string? cursor, int? limit, CancellationToken cancellationToken)
    {
        var errors = new List<Grains.FieldError>();
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)) from = at;
            else errors.Add(new("since", "must be an ISO 8601 time such as 2026-12-01T00:00:00Z"));
        }
        (DateTimeOffset, Guid)? after = null;
        if (cursor is not null)
        {
            if (SignalQueries.TryParseCursor(cursor, out var parsed)) after = parsed;
            else errors.Add(new("cursor", "is not a cursor this API returned"));
        }
        if (limit is < 1 or > MaxLimit) errors.Add(new("limit", $"must be between 1 and {MaxLimit}"));
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        var (items, next) = await queries.ListAsync(http.WorkspaceId(),
            new SignalQueries.Filter(type, account_id, from, limit ?? DefaultLimit, after), cancellationToken);
        return TypedResults.Ok(new OccurrencePage(items, next));
    }

    public static async Task<Results<Ok<SignalOccurrence>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, SignalQueries queries, CancellationToken cancellationToken) =>
        await queries.GetAsync(http.WorkspaceId(), id, cancellationToken) is { } found
            ? TypedResults.Ok(found)
            : ApiProblems.NotFound($"No signal {id}.");

    /// <summary>"Signal X was delivered to Attio list Y at Z": one row per destination configured for its type.</summary>
    public static async Task<Results<Ok<DeliveryList>, ProblemHttpResult>> DeliveriesAsync(
        Guid id, HttpContext http, SignalQueries queries, SignalDeliveryStore deliveries, CancellationToken cancellationToken)
    {
        var workspace = http.WorkspaceId();
        if (await queries.GetAsync(workspace, id, cancellationToken) is null) return ApiProblems.NotFound($"No signal {id}.");
        return TypedResults.Ok(new DeliveryList(id, await deliveries.ForSignalAsync(workspace, id, cancellationToken)));
    }
}
