using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OrleansSignals.Api.Auth;
using OrleansSignals.Api.Problems;
using OrleansSignals.Hooks.Usage;

namespace OrleansSignals.Api.Webhooks;

/// <summary><c>GET /api/usage?from=&amp;to=</c>: delivered hook messages per UTC day (default: the last 30 days).</summary>
public static class UsageApi
{
    public sealed record UsageReport(DateOnly From, DateOnly To, long Delivered, IReadOnlyList<UsageStore.Day> Days);

    public static RouteGroupBuilder MapUsageApi(this RouteGroupBuilder api)
    {
        api.MapGet("/usage", GetAsync).WithTags("Usage");
        return api;
    }

    public static async Task<Results<Ok<UsageReport>, ValidationProblem>> GetAsync(
        DateOnly? from, DateOnly? to, HttpContext http, UsageStore usage, TimeProvider time, CancellationToken cancellationToken)
    {
        var end = to ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        // The default window must not step before the first representable day (?to=0001-01-01).
        var start = from ?? (end.DayNumber < 30 ? DateOnly.MinValue : end.AddDays(-30));
        if (start > end) return ApiProblems.Invalid("from", "must not be after 'to'");
        var days = await usage.DailyAsync(http.WorkspaceId(), start, end, cancellationToken);
        return TypedResults.Ok(new UsageReport(start, end, days.Sum(d => d.Delivered), days));
    }
}
