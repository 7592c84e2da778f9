using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using OrleansSignals.Storage;

namespace OrleansSignals.Api.Health;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: PostgreSQL answers, every migration is applied and the host is part of the Orleans cluster.</summary>
public static class HealthApi
{
    public sealed record HealthStatus(string Status);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok"))).WithTags("Health").DisableRateLimiting();
        app.MapGet("/readyz", ReadyAsync).WithTags("Health").DisableRateLimiting();
        return app;
    }

    public static async Task<Results<Ok<HealthStatus>, ProblemHttpResult>> ReadyAsync(
        MigrationRunner migrations, IEnumerable<IClusterReadiness> cluster, CancellationToken cancellationToken)
    {
        if (cluster.Select(c => c.NotReadyReason).FirstOrDefault(r => r is not null) is { } reason)
            return TypedResults.Problem(detail: reason, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            return await migrations.IsCurrentAsync(timeout.Token)
                ? TypedResults.Ok(new HealthStatus("ready"))
                : TypedResults.Problem(detail: "Migrations are not applied yet.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready.");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return TypedResults.Problem(detail: "PostgreSQL cannot be reached.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not ready.");
        }
    }
}
