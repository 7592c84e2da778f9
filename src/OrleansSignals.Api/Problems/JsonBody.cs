using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OrleansSignals.Api.Input;
using OrleansSignals.Grains;
using OrleansSignals.Storage;

namespace OrleansSignals.Api.Problems;

/// <summary>
/// Reads a JSON request body strictly, so that nothing a client sends is silently ignored and every mistake is
/// named at once: the bytes (<see cref="JsonInput"/>: size, UTF-8, depth, syntax), then the shape against the
/// bound type (<see cref="JsonShape"/>: unknown fields, wrong types, nulls, limits, unstorable text), and only
/// then binding. Every route that takes a JSON body reads it through here (docs/decisions.md, "Strict input").
/// </summary>
public static class JsonBody
{
    /// <param name="required">
    /// Members the body's object must name. A number that is left out would otherwise bind as 0 without a word
    /// (a health model without <c>base</c> scored every account 0).
    /// </param>
    /// <returns>The value, or every error found (never both). A body over <see cref="InputLimits.MaxBodyBytes"/> throws a 413.</returns>
    public static async Task<(T? Value, IReadOnlyList<FieldError>? Errors)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken, params string[] required)
    {
        var parsed = await JsonInput.ReadAsync(request, InputLimits.MaxBodyBytes, cancellationToken);
        if (parsed.TooLarge)
            throw new BadHttpRequestException($"The body is larger than {InputLimits.MaxBodyBytes / 1024 / 1024} MB, the most this route reads.", StatusCodes.Status413PayloadTooLarge);
        if (parsed.Error is not null) return (default, [parsed.Error]);
        using var document = parsed.Document!;
        var info = WireJson.Options.GetTypeInfo(typeof(T));
        var errors = JsonShape.Check(document.RootElement, info);
        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in required)
            {
                // Case-insensitive, as binding is.
                if (!document.RootElement.EnumerateObject().Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                    errors.Add(new FieldError(name, "is required"));
            }
        }
        if (errors.Count > 0) return (default, errors);
        try
        {
            var value = (T?)document.RootElement.Deserialize(info);
            return value is null ? (default, [new FieldError("$", "a JSON body is required")]) : (value, null);
        }
        catch (JsonException ex)
        {
            // The shape check covers what binding refuses; this is the fallback for a converter's own rule.
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "$" : ex.Path.TrimStart('$', '.');
            return (default, [new FieldError(field, field == "$" ? $"expected {JsonShape.Describe(typeof(T))}" : "has a value of the wrong type")]);
        }
    }
}
