using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Serialization;
using OrleansSignals.Grains;

namespace OrleansSignals.Api.Problems;

/// <summary>
/// PostgreSQL away, a silo of the cluster lost (or a grain that lost a race) is the client's cue to retry, not a server bug:
/// 503 with Retry-After, never 500. Nothing of such a request was acknowledged, so nothing is lost.
/// </summary>
public sealed partial class UnavailableExceptionHandler(IProblemDetailsService problems, ILogger<UnavailableExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception)) return false;
        LogUnavailable(exception, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable.",
                Detail = exception switch
                {
                    GrainUnavailableException => exception.Message,
                    OrleansMessageRejectionException or ClientNotAvailableException or GatewayTooBusyException or ConnectionFailedException =>
                        "A silo of the cluster cannot be reached (it is leaving, starting or lost); retry the request in a few seconds.",
                    _ => UnreachableDetail(httpContext.Request),
                },
            },
        });
    }

    /// <summary>What the client should do: a read can simply be retried; a write says whether a retry is safe.</summary>
    private static string UnreachableDetail(HttpRequest request)
    {
        const string Cause = "The database cannot be reached. ";
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) return Cause + "Retry the request later.";
        if (request.Path.StartsWithSegments("/api/events"))
            return Cause + "Nothing from this request was acknowledged; retry it (event ids make retries safe).";
        return Cause + "The change may or may not have been stored; read the resource before retrying it.";
    }

    private static bool IsUnavailable(Exception exception) => exception switch
    {
        GrainUnavailableException or Orleans.Storage.InconsistentStateException => true,
        // The cluster, not the request: a silo left or is unreachable, or the client has no gateway yet.
        OrleansMessageRejectionException or ClientNotAvailableException or GatewayTooBusyException or ConnectionFailedException => true,
        // A database failure inside a grain reaches the caller as Orleans's stand-in when its type does not cross silos.
        UnavailableExceptionFallbackException { ExceptionType: { } type } => type.Contains("Npgsql", StringComparison.Ordinal)
                                                                           || type.Contains("Timeout", StringComparison.Ordinal),
        // An HTTP call that failed (an export destination) is not the database, whatever socket error it wraps.
        HttpRequestException => false,
        // SqlState can arrive empty on an exception rebuilt after crossing silos.
        PostgresException pg => pg.IsTransient || pg.SqlState?.StartsWith("08", StringComparison.Ordinal) == true || pg.SqlState?.StartsWith("57P", StringComparison.Ordinal) == true,
        NpgsqlException => true,
        TimeoutException or SocketException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsUnavailable),
        _ => exception.InnerException is { } inner && IsUnavailable(inner),
    };

    [LoggerMessage(LogLevel.Warning, "Request {Path} answered 503: database unavailable")]
    private partial void LogUnavailable(Exception ex, string path);
}
