using Microsoft.AspNetCore.Http;

namespace OrleansSignals.Api.Problems;

/// <summary>
/// Problem details the framework writes on its own (routing and binding refuse a request before any handler
/// runs) get a detail that says what to send instead, like the ones the handlers write.
/// </summary>
public static class FrameworkProblems
{
    public static void Explain(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Detail is not null) return;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status415UnsupportedMediaType => context.HttpContext.Request.Path.StartsWithSegments("/api/events")
                ? $"Content-Type '{context.HttpContext.Request.ContentType}' is not accepted here; send application/json (an array of events) or application/x-ndjson (one event per line)."
                : $"Content-Type '{context.HttpContext.Request.ContentType}' is not accepted here; send application/json.",
            StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Method} is not allowed on this route (see /openapi/v1.json).",
            StatusCodes.Status400BadRequest => "A parameter or the body could not be read; see /openapi/v1.json for this route's parameters.",
            StatusCodes.Status404NotFound => "No such route (see /openapi/v1.json).",
            _ => null,
        };
    }
}
