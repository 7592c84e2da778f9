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
    public const int MaxTraits = 100;

    private const string QueryInvalid = "A query parameter is invalid; see errors.";

    public sealed record AccountPage(IReadOnlyList<AccountView> Items, string? NextCursor);

    public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Items, string? NextCursor);

    public static RouteGroupBuilder MapAccountsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/accounts").WithTags("Accounts");
        group.MapGet("/", ListAsync);
        group.MapGet("/{id}", GetAsync);
        group.MapGet("/{id}/history", HistoryAsync);
        group.MapPut("/{id}/traits", SetTraitsAsync).Accepts<Dictionary<string, object?>>("application/json");
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
        var view = await grains.GetGrain<IAccountGrain>(AccountKey.For(http.WorkspaceId(), id)).GetStateAsync();
        if (view is null) return ApiProblems.NotFound($"No account '{id}' in this workspace.");
        return selected is null ? TypedResults.Ok(view) : TypedResults.Ok(AccountFields.Select(view, selected));
    }

    public static async Task<Results<Ok<AccountPage>, ValidationProblem>> ListAsync(
        string? insight, [FromQuery(Name = "health_lt")] string? healthLessThanText, [FromQuery(Name = "health_gt")] string? healthGreaterThanText,
        [FromQuery(Name = "limit")] string? limitText, string? cursor, HttpContext http, IGrainFactory grains, AccountQueries queries, CancellationToken cancellationToken)
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
        string? after = null;
        if (cursor is not null && !Cursor.TryDecode(cursor, out after!)) errors.Add(new FieldError("cursor", "is not a cursor this API returned"));
        if (errors.Count > 0) return ApiProblems.Invalid(errors, QueryInvalid);
        var (items, lastId) = await queries.ListAsync(http.WorkspaceId(),
            new AccountQueries.Filter(insight, healthLessThan, healthGreaterThan, after, limit ?? 100), cancellationToken);
        return TypedResults.Ok(new AccountPage(items, lastId is null ? null : Cursor.Encode(lastId)));
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
        if (await grains.GetGrain<IAccountGrain>(AccountKey.For(workspaceId, id)).GetStateAsync() is null)
            return ApiProblems.NotFound($"No account '{id}' in this workspace.");
        var page = await history.ForAccountAsync(workspaceId, id, type, after, limit ?? 100, cancellationToken);
        return TypedResults.Ok(new HistoryPage(page.Items, page.NextCursor));
    }

    public static async Task<Results<Ok<AccountView>, ValidationProblem>> SetTraitsAsync(
        string id, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        id = AccountRoute.Id(http, id);
        var (traits, error) = await JsonBody.ReadAsync<Dictionary<string, JsonElement>>(http.Request, cancellationToken);
        if (error is not null) return ApiProblems.Invalid([error]);
        var errors = new List<FieldError>();
        if (id.Length > 200 || id.Any(char.IsControl)) errors.Add(new FieldError("id", "must be 1-200 characters without control characters"));
        if (traits!.Count > MaxTraits) errors.Add(new FieldError("$", $"at most {MaxTraits} traits"));
        foreach (var name in traits.Keys.Where(k => k.Length is 0 or > 100)) errors.Add(new FieldError(name, "trait names are 1-100 characters"));
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        var view = await grains.GetGrain<IAccountGrain>(AccountKey.For(http.WorkspaceId(), id)).SetTraitsAsync(traits);
        return TypedResults.Ok(view);
    }
}
