using OrleansSignals.Storage;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OrleansSignals.Grains;

namespace OrleansSignals.Api.Problems;

/// <summary>
/// Reads a JSON request body in two steps, so the error says which went wrong: the syntax (field "$",
/// with line and byte), or a value of the wrong type (the field's path).
/// </summary>
public static class JsonBody
{
    /// <param name="required">
    /// Members the body's object must name. A number that is left out would otherwise bind as 0 without a word
    /// (a health model without <c>base</c> scored every account 0).
    /// </param>
    public static async Task<(T? Value, FieldError? Error)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, params string[] required)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            return (default, new FieldError("$", $"the body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})"));
        }
        using (document)
        {
            if (Events.EventBatchParser.Unstorable(document.RootElement) is { } problem)
                return (default, new FieldError("$", "the body " + problem));
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in required)
                {
                    // Case-insensitive, as binding is.
                    if (!document.RootElement.EnumerateObject().Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                        return (default, new FieldError(name, "is required"));
                }
            }
            try
            {
                var value = document.Deserialize<T>(WireJson.Options);
                return value is null ? (default, new FieldError("$", "a JSON body is required")) : (value, null);
            }
            catch (JsonException ex)
            {
                var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "$" : ex.Path.TrimStart('$', '.');
                return (default, new FieldError(field, field == "$" ? $"expected a JSON {Describe(typeof(T))}" : "has a value of the wrong type"));
            }
        }
    }

    private static string Describe(Type type) =>
        type.IsAssignableTo(typeof(System.Collections.IDictionary)) || !type.IsAssignableTo(typeof(System.Collections.IEnumerable)) ? "object" : "array";
}
