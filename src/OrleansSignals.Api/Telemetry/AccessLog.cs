using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansSignals.Api.Auth;

namespace OrleansSignals.Api.Telemetry;

/// <summary>
/// A line per failed or slow request, written when the response is complete: method, path, route template, status,
/// duration, the workspace the key resolved to ("-" when none) and the trace id. The line's timestamp is the log's own.
/// Runs outermost, so the status is the one the client got, also when an exception handler wrote it.
/// </summary>
public sealed partial class AccessLog(RequestDelegate next, ILoggerFactory loggers, IOptions<TelemetryOptions> options)
{
    public const string Category = "OrleansSignals.AccessLog";

    private readonly ILogger _logger = loggers.CreateLogger(Category);
    private readonly TimeSpan _slow = options.Value.AccessLogSlowRequest;

    /// <summary>Failed requests always; successful ones when they took at least <paramref name="slow"/>.</summary>
    public static bool Logs(int status, TimeSpan elapsed, TimeSpan slow) => status >= 400 || elapsed >= slow;

    public async Task InvokeAsync(HttpContext http)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            await next(http);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(start);
            if (Logs(http.Response.StatusCode, elapsed, _slow))
            {
                var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "-";
                // The trace id a problem response carries (ASP.NET Core's problem details take the same), so an
                // operator handed an error's trace_id finds its line.
                LogRequest(http.Request.Method, http.Request.Path.Value ?? "/", route, http.Response.StatusCode,
                    elapsed.TotalMilliseconds, http.WorkspaceIdOrNull() ?? "-", Activity.Current?.Id ?? http.TraceIdentifier);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "{Method} {Path} route {Route} status {Status} in {DurationMs:F1} ms workspace {Workspace} trace {TraceId}")]
    private partial void LogRequest(string method, string path, string route, int status, double durationMs, string workspace, string traceId);
}
