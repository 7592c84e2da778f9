using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace OrleansSignals.Api.Problems;

/// <summary>
/// A route parameter the framework could not bind (<c>?from=bad</c> for a date) becomes a 400 that names it,
/// like the errors the handlers write, instead of a bare 400. Routes throw for these
/// (<c>RouteHandlerOptions.ThrowOnBadRequest</c>) so that this handler sees them.
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad) return false;
        if (Unbound().Match(bad.Message) is { Success: true } id && RouteResourceOf(httpContext, id.Groups["name"].Value) is { } resource)
        {
            // A path that cannot name such a resource names none: the same 404 as an unknown id.
            httpContext.Response.StatusCode = StatusCodes.Status404NotFound;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                Exception = exception,
                ProblemDetails = { Status = StatusCodes.Status404NotFound, Title = "Not found.", Detail = $"No {resource.Noun} '{id.Groups["value"].Value}'." },
            });
        }
        httpContext.Response.StatusCode = bad.StatusCode;
        var problem = new ValidationProblemDetails { Status = bad.StatusCode, Title = "The request is invalid.", Detail = bad.Message };
        if (Unbound().Match(bad.Message) is { Success: true } match)
        {
            var type = NullableOf().Replace(match.Groups["type"].Value.TrimEnd('?'), "$1");
            problem.Errors[match.Groups["name"].Value] = [$"'{match.Groups["value"].Value}' is not a valid {Describe(type)}"];
            problem.Detail = "A parameter is invalid; see errors.";
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = problem });
    }

    /// <summary>The resource a route parameter names, when the failed parameter is one (the handler middleware has cleared the endpoint; its feature keeps it).</summary>
    private static Input.RouteResource? RouteResourceOf(HttpContext http, string parameter) =>
        http.Features.Get<IExceptionHandlerFeature>() is { Endpoint: { } endpoint, RouteValues: { } values } && values.ContainsKey(parameter)
            ? endpoint.Metadata.GetOrderedMetadata<Input.RouteResource>().LastOrDefault(r => r.Parameter == parameter)
            : null;

    private static string Describe(string type) => type switch
    {
        "DateOnly" => "date (YYYY-MM-DD)",
        "DateTimeOffset" or "DateTime" => "ISO 8601 time",
        "int" or "long" or "Int32" or "Int64" => "whole number",
        "Guid" => "id",
        "bool" or "Boolean" => "true or false",
        _ => type,
    };

    [GeneratedRegex("^Nullable<(.+)>$")]
    private static partial Regex NullableOf();

    // The framework's wording: Failed to bind parameter "Nullable<DateOnly> from" from "bad".
    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^ "]+) (?<name>[^ "]+)" from "(?<value>.*)"\.$""")]
    private static partial Regex Unbound();
}
