using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Enrichment.Leads;
using OrleansSignals.Grains;
using OrleansSignals.Storage;

namespace OrleansSignals.Api.Enrichment;

/// <summary><c>/api/enrichment/customers</c> and <c>/api/enrichment/leads</c>: questions answered from the projections.</summary>
public static class EnrichmentLeadsApi
{
    private const int MaxLimit = 500;
    private const int MaxCustomers = 10_000;

    public sealed record CustomersRequest(List<string>? Customers);
    public sealed record CustomerList(IReadOnlyList<Customer> Customers);
    public sealed record LeadPage(IReadOnlyList<LeadView> Items, string? NextCursor);

    public static RouteGroupBuilder MapEnrichmentLeadsApi(this RouteGroupBuilder group)
    {
        group.MapPut("/customers", ReplaceCustomersAsync).Accepts<CustomersRequest>("application/json");
        group.MapGet("/customers", ListCustomersAsync);
        group.MapGet("/leads", ListLeadsAsync);
        return group;
    }

    /// <summary>Replaces the workspace's customer companies: names ("Stripe, Inc.") or domains ("stripe.com").</summary>
    public static async Task<Results<Ok<CustomerList>, ValidationProblem>> ReplaceCustomersAsync(HttpContext http, CustomerStore store, CancellationToken cancellationToken)
    {
        var (request, error) = await JsonBody.ReadAsync<CustomersRequest>(http.Request, cancellationToken, "customers");
        if (error is not null) return ApiProblems.Invalid(error);
        var errors = new List<FieldError>();
        var values = request!.Customers ?? [];
        if (values.Count > MaxCustomers) errors.Add(new("customers", $"at most {MaxCustomers:N0} customers"));
        var customers = new List<Customer>();
        for (var i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(values[i]) || values[i].Length > 500)
            {
                errors.Add(new($"customers[{i}]", "must be a company name or domain of 1 to 500 characters"));
                continue;
            }
            var customer = CustomerStore.Read(values[i]);
            if (customer.NameNormalized.Length == 0) errors.Add(new($"customers[{i}]", $"'{values[i]}' has no letters or digits to match on"));
            else customers.Add(customer);
        }
        if (errors.Count > 0) return ApiProblems.Invalid(errors);
        await store.ReplaceAsync(http.WorkspaceId(), customers, cancellationToken);
        return TypedResults.Ok(new CustomerList(await store.ListAsync(http.WorkspaceId(), cancellationToken)));
    }

    public static async Task<Ok<CustomerList>> ListCustomersAsync(HttpContext http, CustomerStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new CustomerList(await store.ListAsync(http.WorkspaceId(), cancellationToken)));

    public static async Task<Results<Ok<LeadPage>, ValidationProblem>> ListLeadsAsync(
        [FromQuery(Name = "worked_at_customer")] string? workedText, string? email, string? company, [FromQuery(Name = "batch_id")] string? batchText,
        [FromQuery(Name = "limit")] string? limitText, string? cursor, HttpContext http, LeadQueries queries, CancellationToken cancellationToken)
    {
        var errors = new List<FieldError>();
        var worked = false;
        if (workedText is not null && !bool.TryParse(workedText, out worked)) errors.Add(new("worked_at_customer", "must be true or false"));
        Guid? batchId = null;
        if (batchText is not null)
        {
            if (Guid.TryParse(batchText, out var parsed)) batchId = parsed;
            else errors.Add(new("batch_id", $"'{batchText}' is not a batch id"));
        }
        var limit = 100;
        if (limitText is not null && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
            errors.Add(new("limit", $"must be from 1 to {MaxLimit}"));
        long after = 0;
        if (cursor is not null && !(Cursor.TryDecode(cursor, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
            errors.Add(new("cursor", "is not a cursor this API returned"));
        if (errors.Count > 0) return ApiProblems.Invalid(errors, "The query is invalid; nothing was read.");
        var (leads, next) = await queries.ListAsync(http.WorkspaceId(), new LeadFilter(worked, Blank(email), Blank(company), batchId, after, limit), cancellationToken);
        return TypedResults.Ok(new LeadPage(leads, next is { } id ? Cursor.Encode(id.ToString(CultureInfo.InvariantCulture)) : null));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
