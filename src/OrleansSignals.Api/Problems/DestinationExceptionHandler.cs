using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using OrleansSignals.Exports.Destinations;

namespace OrleansSignals.Api.Problems;

/// <summary>
/// An export destination (an S3 bucket) that refuses or cannot be reached while a request reads from it (a
/// download) is a 502 naming the bucket: the gateway's upstream failed, not the API or its database.
/// </summary>
public sealed class DestinationExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not ExportDestinationException destination) return false;
        httpContext.Response.StatusCode = StatusCodes.Status502BadGateway;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = StatusCodes.Status502BadGateway, Title = "Destination refused.", Detail = destination.Message },
        });
    }
}
