using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OrleansSignals.Api.Json;
using OrleansSignals.Grains;

namespace OrleansSignals.Api.Problems;

/// <summary>Reads a JSON request body and turns malformed JSON or a wrong type into a field error.</summary>
public static class JsonBody
{
    public static async Task<(T? Value, FieldError? Error)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, SignalsJson.Options, cancellationToken);
            return value is null ? (default, new FieldError("$", "a JSON body is required")) : (value, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "$" : ex.Path.TrimStart('$', '.');
            return (default, new FieldError(field, ex.LineNumber is null
                ? "the body is not valid JSON"
                : $"malformed JSON or a value of the wrong type (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})"));
        }
    }
}
