using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Grains;
using OrleansSignals.Grains.Accounts;
using OrleansSignals.Grains.Persistence;
using OrleansSignals.Grains.Workspaces;
using OrleansSignals.Storage;

namespace OrleansSignals.Api.Accounts;

/// <summary>Current state (from the account grain), lists, history and traits of accounts.</summary>
public static class AccountsApi
{
    public const int MaxLimit = 1000;

    private const string QueryInvalid = "A query parameter is invalid; see errors.";

    public sealed record AccountPage(IReadOnlyList<AccountView> Items, string? NextCursor);

    public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Items, string? NextCursor);

    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/accounts").WithTags("Accounts");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapGet("/{id}/history", HistoryAsync);
        group.MapGet("/{id}/events", EventsAsync);
        group.MapPut("/{id}/traits", SetTraitsAsync).Accepts<Dictionary<string, object?>>("application/json");
        group.MapPatch("/{id}/traits", MergeTraitsAsync).Accepts<Dictionary<string, object?>>("application/merge-patch+json", "application/json");
        return api;
    }

    public static async Task<Results<Ok<AccountView>, Ok<Dictionary<string, object?>>, ProblemHttpResult, ValidationProblem>> GetAsync(
        string id, string? fields, HttpContext http, IGrainFactory grains)
    {
        id = AccountRoute.Id(http, id);
        HashSet<string>? selected = null;
        if (fields is not null)
        {
            selected = fields.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            var unknown = selected.Where(f => f != "account_id" && !AccountFields.All.Contains(f)).ToList();
            if (unknown.Count > 0)
                return ApiProblems.Invalid([new FieldError("fields", $"unknown field(s) {string.Join(", ", unknown)}; expected any of {string.Join(", ", AccountFields.All)}")], QueryInvalid);
        }
        var view = await grains.GetAccountGrain(http.WorkspaceId(), id).GetStateAsync();
        if (view is null) return ApiProblems.NotFound($"No account '{id}' in this workspace.");
        return selected is null ? TypedResults.Ok(view) : TypedResults.Ok(AccountFields.Select(view, selected));
    }

    /// <summary>Trait filters one list may hold (<c>trait.plan=pro&amp;trait.region=eu</c>).</summary>
    public const int MaxTraitFilters = 10;

    /// <summary>
    /// <c>GET /api/accounts</c>: filtered by insight, health and traits (<c>trait.{name}={value}</c>, matched against the
    /// trait's JSON text: <c>trait.seats=12</c> matches 12 and "12"), sorted by <c>sort</c>, a keyset page at a time.
    /// </summary>
    [Input.AcceptsQuery("trait.*")]
    public static async Task<Results<Ok<AccountPage>, ValidationProblem>> ListAsync(
        string? insight, [FromQuery(Name = "health_lt")] string? healthLessThanText, [FromQuery(Name = "health_gt")] string? healthGreaterThanText,
        [FromQuery(Name = "limit")] string? limitText, string? cursor, string? sort, HttpContext http, IGrainFactory grains, AccountQueries queries, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var healthLessThan = AccountRoute.Int(healthLessThanText, "health_lt", errors);
        var healthGreaterThan = AccountRoute.Int(healthGreaterThanText, "health_gt", errors);
        var limit = AccountRoute.Int(limitText, "limit", errors);
        if (limit is < 1 or > MaxLimit) errors.Add(new FieldError("limit", $"must be from 1 to {MaxLimit}"));
        if (insight is not null)
        {
            var defined = (await grains.GetGrain<IWorkspaceGrain>(http.WorkspaceId()).GetConfigAsync()).Definitions.Select(d => d.Key).ToList();
            if (!defined.Contains(insight))
                errors.Add(new FieldError("insight", defined.Count == 0
                    ? $"'{insight}' is not an insight of this workspace; it has none defined"
                    : $"'{insight}' is not an insight of this workspace; expected one of {string.Join(", ", defined)}"));
        }
        sort ??= "account_id";
        if (!AccountQueries.Sorts.Contains(sort))
            errors.Add(new FieldError("sort", $"'{sort}' is not an order; expected one of {string.Join(", ", AccountQueries.Sorts)}"));
        var traits = new List<(string Name, string Value)>();
        foreach (var (key, values) in http.Request.Query.Where(q => q.Key.StartsWith("trait.", StringComparison.Ordinal)))
        {
            var name = key["trait.".Length..];
            if (name.Length is 0 or > TraitLimits.MaxNameLength) errors.Add(new FieldError(key, $"a trait name is 1-{TraitLimits.MaxNameLength} characters"));
            else if (values.Count != 1) errors.Add(new FieldError(key, "give one value per trait"));
            else if (values[0]!.Length > TraitLimits.MaxValueBytes) errors.Add(new FieldError(key, $"a value is at most {TraitLimits.MaxValueBytes:N0} characters"));
            else traits.Add((name, values[0]!));
        }
        if (traits.Count > MaxTraitFilters) errors.Add(new FieldError("trait", $"at most {MaxTraitFilters} trait filters"));
        (string Key, string AccountId)? after = null;
        if (cursor is not null)
        {
            if (errors.Count == 0 && AccountQueries.TryParseCursor(cursor, sort, out var position)) after = position;
            else if (errors.Count == 0) errors.Add(new FieldError("cursor", $"is not a cursor this API returned for sort={sort}"));
        }
        if (errors.Count > 0) return ApiProblems.Invalid(errors, QueryInvalid);
        var (items, next) = await queries.ListAsync(http.WorkspaceId(),
            new AccountQueries.Filter(insight, healthLessThan, healthGreaterThan, traits, sort, after, limit ?? 100), cancellationToken);
        return TypedResults.Ok(new AccountPage(items, next));
    }

    /// <summary><c>GET /api/accounts/{id}/events</c>: the account's raw events as stored, newest first (by their timestamp).</summary>
    public static async Task<Results<Ok<AccountEventLog.Page>, ProblemHttpResult, ValidationProblem>> EventsAsync(
        string id, DateTimeOffset? since, DateTimeOffset? until, [FromQuery(Name = "limit")] string? limitText, string? cursor,
        HttpContext http, IGrainFactory grains, AccountEventLog events, CancellationToken cancellationToken)
    {
        id = AccountRoute.Id(http, id);
        var errors = new List<FieldError>();
        var limit = AccountRoute.Int(limitText, "limit", errors);
        if (limit is < 1 or > MaxLimit) errors.Add(new FieldError("limit", $"must be from 1 to {MaxLimit}"));
        if (since is { } from && until is { } to && from >= to) errors.Add(new FieldError("until", "must be later than since"));
        (DateTimeOffset, string)? before = null;
        if (cursor is not null)
        {
            if (AccountEventLog.TryParseCursor(cursor, out var position)) before = position;
            else errors.Add(new FieldError("cursor", "is not a cursor this API returned"));
        }
        if (errors.Count > 0) return ApiProblems.Invalid(errors, QueryInvalid);
        var workspaceId = http.WorkspaceId();
        if (await grains.GetAccountGrain(workspaceId, id).GetStateAsync() is null)
            return ApiProblems.NotFound($"No account '{id}' in this workspace.");
        return TypedResults.Ok(await events.ListAsync(workspaceId, id, since, until, before, limit ?? 100, cancellationToken));
    }

    public static async Task<Results<Ok<HistoryPage>, ProblemHttpResult, ValidationProblem>> HistoryAsync(
        string id, string? type, [FromQuery(Name = "limit")] string? limitText, string? cursor, HttpContext http, IGrainFactory grains, HistoryLog history, CancellationToken cancellationToken)
    {
        id = AccountRoute.Id(http, id);
        var errors = new List<FieldError>();
        var limit = AccountRoute.Int(limitText, "limit", errors);
        if (type is not null && !EventTypes.Transitions.Contains(type))
            errors.Add(new FieldError("type", $"'{type}' is not a transition type; expected one of {string.Join(", ", EventTypes.Transitions)}"));
        if (limit is < 1 or > MaxLimit) errors.Add(new FieldError("limit", $"must be from 1 to {MaxLimit}"));
        (DateTimeOffset, Guid)? after = null;
        if (cursor is not null)
        {
            if (HistoryLog.TryParseCursor(cursor, out var position)) after = position;
            else errors.Add(new FieldError("cursor", "is not a cursor this API returned"));
        }
        if (errors.Count > 0) return ApiProblems.Invalid(errors, QueryInvalid);
        var workspaceId = http.WorkspaceId();
        if (await grains.GetAccountGrain(workspaceId, id).GetStateAsync() is null)
            return ApiProblems.NotFound($"No account '{id}' in this workspace.");
        var page = await history.ForAccountAsync(workspaceId, id, type, after, limit ?? 100, cancellationToken);
        return TypedResults.Ok(new HistoryPage(page.Items, page.NextCursor));
    }

    /// <summary><c>PUT</c>: the body becomes the account's traits, all of them; an unknown account is created (docs/decisions.md).</summary>
    public static async Task<Results<Ok<AccountView>, ValidationProblem, ProblemHttpResult>> SetTraitsAsync(
        string id, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        id = AccountRoute.Id(http, id);
        var (traits, bodyErrors) = await ReadTraitsAsync(http, cancellationToken);
        if (bodyErrors is not null) return ApiProblems.Invalid(bodyErrors);
        if (InvalidId(id) is { } idError) return ApiProblems.Invalid([idError]);
        // PUT replaces the whole set, so a null trait has no meaning there: say how to remove one.
        var nulls = traits!.Where(t => t.Value.ValueKind == JsonValueKind.Null).ToList();
        if (nulls.Count > 0)
            return ApiProblems.Invalid(nulls.Select(t => new FieldError(t.Key, "must not be null: PUT replaces every trait, so leave this one out to remove it (or PATCH it to null)")));
        if (Refused(TraitLimits.Check(traits!)) is { } refused) return refused;
        return TypedResults.Ok(await grains.GetAccountGrain(http.WorkspaceId(), id).SetTraitsAsync(traits!, cancellationToken));
    }

    /// <summary><c>PATCH</c>: a JSON merge patch (RFC 7396) of the account's traits; <c>null</c> removes a trait.</summary>
    public static async Task<Results<Ok<AccountView>, ValidationProblem, ProblemHttpResult>> MergeTraitsAsync(
        string id, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        id = AccountRoute.Id(http, id);
        var (patch, bodyErrors) = await ReadTraitsAsync(http, cancellationToken);
        if (bodyErrors is not null) return ApiProblems.Invalid(bodyErrors);
        if (InvalidId(id) is { } idError) return ApiProblems.Invalid([idError]);
        var update = await grains.GetAccountGrain(http.WorkspaceId(), id).MergeTraitsAsync(
            patch!, cancellationToken);
        return Refused(update.Problems) is { } refused ? refused : TypedResults.Ok(update.View!);
    }

    /// <summary>
    /// A JSON object of traits, each value any JSON, null included (which the serializer cannot bind to a
    /// <see cref="JsonElement"/> in a dictionary), read strictly like every body.
    /// </summary>
    private static async Task<(Dictionary<string, JsonElement>? Traits, IReadOnlyList<FieldError>? Errors)> ReadTraitsAsync(HttpContext http, CancellationToken cancellationToken)
    {
        var (body, errors) = await JsonBody.ReadAsync<JsonElement>(http.Request, cancellationToken);
        if (errors is not null) return (null, errors);
        if (body.ValueKind != JsonValueKind.Object)
            return (null, [new FieldError("$", $"must be a JSON object of traits (name: value), not {Input.JsonShape.Describe(body.ValueKind)}")]);
        var traits = new Dictionary<string, JsonElement>();
        foreach (var trait in body.EnumerateObject()) traits[trait.Name] = trait.Value.Clone();
        return (traits, null);
    }

    private static FieldError? InvalidId(string id) =>
        id.Length is 0 or > 200 || id.Any(char.IsControl) ? new FieldError("id", "must be 1-200 characters without control characters") : null;

    /// <summary>A whole set over its limit is 413; a trait that cannot be stored is 400 naming it. Both change nothing.</summary>
    private static Results<Ok<AccountView>, ValidationProblem, ProblemHttpResult>? Refused(IReadOnlyList<TraitProblem> problems)
    {
        if (problems.FirstOrDefault(p => p.TooLarge) is { } tooLarge) return ApiProblems.TooLarge($"Nothing was changed: {tooLarge.Message}.");
        if (problems.Count > 0) return ApiProblems.Invalid(problems.Select(p => new FieldError(p.Trait, p.Message)));
        return null;
    }
}
