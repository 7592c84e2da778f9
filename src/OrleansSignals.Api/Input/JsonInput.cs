using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using OrleansSignals.Grains;

namespace OrleansSignals.Api.Input;

/// <summary>
/// Turns request bytes into a <see cref="JsonDocument"/> or one error that says what is wrong with them: too large,
/// not UTF-8 (and where), nested too deeply (and the limit), or not JSON (line and byte). Every JSON body of the API,
/// event batches included, is read through here, so none of these reaches a handler as an exception.
/// </summary>
public static class JsonInput
{
    public sealed record Parsed(JsonDocument? Document, FieldError? Error, bool TooLarge);

    /// <summary>Whether a Content-Type names JSON: <c>application/json</c> or a <c>+json</c> type, any charset of UTF-8.</summary>
    public static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        && (media.Charset.Length == 0 || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || media.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads and parses the whole body, refusing one longer than <paramref name="maxBytes"/> without buffering it.</summary>
    /// <exception cref="BadHttpRequestException">415 when the body is not declared as JSON: its bytes would be read as something they may not be.</exception>
    public static async Task<Parsed> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
            throw new BadHttpRequestException(
                $"Content-Type '{request.ContentType}' is not accepted here; send application/json (UTF-8).", StatusCodes.Status415UnsupportedMediaType);
        if (request.ContentLength > maxBytes) return new Parsed(null, null, TooLarge: true);
        using var body = await Events.PooledBody.ReadAsync(request.Body, request.ContentLength, maxBytes, cancellationToken);
        if (body is null) return new Parsed(null, null, TooLarge: true);
        // JsonDocument.Parse copies what it keeps, so the pooled buffer can go back once it returns.
        var (document, error) = Parse(body.Memory, "$", "the body");
        return new Parsed(document, error, false);
    }

    /// <summary>Parses one JSON text (a body, or one NDJSON line named by <paramref name="field"/>).</summary>
    public static (JsonDocument? Document, FieldError? Error) Parse(ReadOnlyMemory<byte> json, string field, string what)
    {
        var span = json.Span;
        if (span.Trim(" \t\r\n"u8).IsEmpty) return (null, new FieldError(field, $"{what} is empty; a JSON value is required"));
        if (!Utf8.IsValid(span))
            return (null, new FieldError(field, $"{what} is not valid UTF-8 (byte {InvalidUtf8At(span)}); JSON text must be UTF-8"));
        try
        {
            return (JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = InputLimits.MaxDepth }), null);
        }
        catch (JsonException ex)
        {
            return (null, TooDeep(span)
                ? new FieldError(field, $"{what} nests objects and arrays more than {InputLimits.MaxDepth} levels deep, the most this API reads")
                : new FieldError(field, $"{what} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})"));
        }
    }

    /// <summary>Whether the text goes deeper than the limit before any syntax error (then depth, not syntax, is the problem).</summary>
    private static bool TooDeep(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = int.MaxValue / 2 });
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth >= InputLimits.MaxDepth) return true;
            }
        }
        catch (JsonException)
        {
            // A syntax error came first.
        }
        return false;
    }

    private static int InvalidUtf8At(ReadOnlySpan<byte> text)
    {
        var offset = 0;
        while (offset < text.Length)
        {
            if (Rune.DecodeFromUtf8(text[offset..], out _, out var consumed) != OperationStatus.Done) return offset;
            offset += consumed;
        }
        return offset;
    }
}
