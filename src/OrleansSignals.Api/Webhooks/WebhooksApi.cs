using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Hooks;
using OrleansSignals.Hooks.Endpoints;
using OrleansSignals.Storage;

namespace OrleansSignals.Api.Webhooks;

/// <summary>Webhook endpoints: <c>/api/webhooks</c>, their delivery log, test sends, secret rotation and re-sends.</summary>
public static class WebhooksApi
{
    /// <summary>The old secret keeps signing this long after a rotation.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);

    public sealed record EndpointList(IReadOnlyList<WebhookEndpoint> Items);
    public sealed record DeliveryList(IReadOnlyList<DeliveryView> Items);
    public sealed record Rotated(string Secret, DateTimeOffset PreviousSecretExpiresAt);
    public sealed record TestSent(Guid EventId);
    public sealed record RecoverRequest(DateTimeOffset? Since);
    public sealed record Recovered(int Resent);

    public static RouteGroupBuilder MapWebhooksApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/webhooks").WithTags("Webhooks").WithMetadata(new Input.RouteResource("id", "webhook endpoint"));
        group.MapGet("/", ListAsync);
        group.MapPost("/", CreateAsync).Accepts<WebhookRequest>("application/json");
        group.MapGet("/{id}", GetAsync);
        group.MapPut("/{id}", ReplaceAsync).Accepts<WebhookRequest>("application/json");
        group.MapDelete("/{id}", DeleteAsync);
        group.MapPost("/{id}/test", TestAsync);
        group.MapGet("/{id}/deliveries", DeliveriesAsync);
        group.MapGet("/{id}/dead-letters", DeadLettersAsync);
        group.MapPost("/{id}/rotate-secret", RotateAsync);
        group.MapPost("/{id}/recover", RecoverAsync).Accepts<RecoverRequest>("application/json");
        api.MapPost("/deliveries/{id}/retry", RetryAsync).WithTags("Webhooks").WithMetadata(new Input.RouteResource("id", "delivery"));
        return api;
    }

    public static async Task<Ok<EndpointList>> ListAsync(HttpContext http, EndpointStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new EndpointList(await store.ListAsync(http.WorkspaceId(), cancellationToken)));

    public static async Task<Results<Created<WebhookEndpoint>, ValidationProblem>> CreateAsync(HttpContext http, EndpointStore store, CancellationToken cancellationToken)
    {
        var (request, bodyErrors) = await JsonBody.ReadAsync<WebhookRequest>(http.Request, cancellationToken);
        if (bodyErrors is not null) return ApiProblems.Invalid(bodyErrors);
        var errors = WebhookRequestValidator.Validate(request!, store.Egress);
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        var endpoint = await store.CreateAsync(http.WorkspaceId(), request!, cancellationToken);
        return TypedResults.Created($"/api/webhooks/{endpoint.Id}", endpoint);
    }

    public static async Task<Results<Ok<WebhookEndpoint>, ProblemHttpResult>> GetAsync(Guid id, HttpContext http, EndpointStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(http.WorkspaceId(), id, cancellationToken) is { } endpoint ? TypedResults.Ok(endpoint) : NotFound(id);

    public static async Task<Results<Ok<WebhookEndpoint>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(
        Guid id, HttpContext http, EndpointStore store, CancellationToken cancellationToken)
    {
        var (request, bodyErrors) = await JsonBody.ReadAsync<WebhookRequest>(http.Request, cancellationToken);
        if (bodyErrors is not null) return ApiProblems.Invalid(bodyErrors);
        var errors = WebhookRequestValidator.Validate(request!, store.Egress);
        if (request!.BackfillSince is not null) errors.Add(new("backfill_since", "only applies when an endpoint is created"));
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        return await store.ReplaceAsync(http.WorkspaceId(), id, request, cancellationToken) is { } endpoint ? TypedResults.Ok(endpoint) : NotFound(id);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, HttpContext http, EndpointStore store, CancellationToken cancellationToken) =>
        await store.DeleteAsync(http.WorkspaceId(), id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    /// <summary>Publishes a <c>webhook.test</c> event for this endpoint only; it is sent at once, signed like any other.</summary>
    public static async Task<Results<Accepted<TestSent>, ProblemHttpResult>> TestAsync(
        Guid id, HttpContext http, EndpointStore store, NpgsqlDataSource dataSource, TimeProvider time, CancellationToken cancellationToken)
    {
        var workspace = http.WorkspaceId();
        if (await store.GetAsync(workspace, id, cancellationToken) is null) return NotFound(id);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken);
        var eventId = await Outbox.EnqueueAsync(connection, tx, workspace, EventTypes.WebhookTest, new JsonObject
        {
            ["endpoint_id"] = id.ToString(),
            ["message"] = "This is a test event from OrleansSignals.",
            ["sent_at"] = OrleansSignals.Grains.Accounts.Iso.Format(time.GetUtcNow()),
        }, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return TypedResults.Accepted($"/api/webhooks/{id}/deliveries", new TestSent(eventId));
    }

    public static async Task<Results<Ok<DeliveryList>, ValidationProblem, ProblemHttpResult>> DeliveriesAsync(
        Guid id, string? status, int? limit, HttpContext http, EndpointStore store, DeliveryStore deliveries, CancellationToken cancellationToken)
    {
        if (status is not (null or "pending" or "delivered" or "dead")) return ApiProblems.Invalid("status", "must be pending, delivered or dead");
        return await ListDeliveriesAsync(id, status, limit, http, store, deliveries, cancellationToken);
    }

    public static Task<Results<Ok<DeliveryList>, ValidationProblem, ProblemHttpResult>> DeadLettersAsync(
        Guid id, int? limit, HttpContext http, EndpointStore store, DeliveryStore deliveries, CancellationToken cancellationToken) =>
        ListDeliveriesAsync(id, "dead", limit, http, store, deliveries, cancellationToken);

    public static async Task<Results<Ok<Rotated>, ProblemHttpResult>> RotateAsync(Guid id, HttpContext http, EndpointStore store, CancellationToken cancellationToken) =>
        await store.RotateSecretAsync(http.WorkspaceId(), id, RotationOverlap, cancellationToken) is { } rotated
            ? TypedResults.Ok(new Rotated(rotated.Secret, rotated.PreviousExpiresAt))
            : NotFound(id);

    public static async Task<Results<Accepted<Recovered>, ValidationProblem, ProblemHttpResult>> RecoverAsync(
        Guid id, HttpContext http, EndpointStore store, DeliveryStore deliveries, CancellationToken cancellationToken)
    {
        var (request, bodyErrors) = await JsonBody.ReadAsync<RecoverRequest>(http.Request, cancellationToken);
        if (bodyErrors is not null) return ApiProblems.Invalid(bodyErrors);
        if (request!.Since is not { } since) return ApiProblems.Invalid("since", "is required (an ISO 8601 time)");
        var workspace = http.WorkspaceId();
        if (await store.GetAsync(workspace, id, cancellationToken) is null) return NotFound(id);
        var resent = await deliveries.RecoverAsync(workspace, id, since, cancellationToken);
        return TypedResults.Accepted($"/api/webhooks/{id}/deliveries", new Recovered(resent));
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> RetryAsync(Guid id, HttpContext http, DeliveryStore deliveries, CancellationToken cancellationToken) =>
        await deliveries.RetryAsync(http.WorkspaceId(), id, cancellationToken)
            ? TypedResults.Accepted((string?)null)
            : ApiProblems.NotFound($"No delivery '{id}'.");

    private static async Task<Results<Ok<DeliveryList>, ValidationProblem, ProblemHttpResult>> ListDeliveriesAsync(
        Guid id, string? status, int? limit, HttpContext http, EndpointStore store, DeliveryStore deliveries, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 500) return ApiProblems.Invalid("limit", "must be between 1 and 500");
        var workspace = http.WorkspaceId();
        if (await store.GetAsync(workspace, id, cancellationToken) is null) return NotFound(id);
        return TypedResults.Ok(new DeliveryList(await deliveries.ListAsync(workspace, id, status, limit ?? 50, cancellationToken)));
    }

    private static ProblemHttpResult NotFound(Guid id) => ApiProblems.NotFound($"No webhook endpoint '{id}'.");
}
