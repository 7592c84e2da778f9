using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OrleansSignals.Api.Exports;

namespace OrleansSignals.Api.OpenApi;

/// <summary>
/// A schedule's body shares an export's fields but not its range (each run exports the period before it; the API
/// refuses <c>from</c>/<c>to</c> there), so the document does not offer them.
/// </summary>
public static class ScheduleRequestSchema
{
    public static Task Apply(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(ScheduleRequest))
        {
            schema.Properties?.Remove("from");
            schema.Properties?.Remove("to");
        }
        return Task.CompletedTask;
    }
}
