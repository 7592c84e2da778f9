using System.Globalization;
using System.Text.Json;
using OrleansSignals.Grains;
using OrleansSignals.Grains.Accounts;

namespace OrleansSignals.Api.Events;

/// <summary>
/// Parses an ingestion body (a JSON array, or NDJSON: one object per line) and checks every item,
/// collecting every problem by item index and field so that one answer tells the client all that is wrong.
/// </summary>
public static class EventBatchParser
{
    public const int MaxEvents = 10_000;
    public const int MaxIdLength = 200;

    /// <summary>Events may not claim to come from further in the future than this (clock skew).</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromDays(1);

    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public sealed record Result(List<IncomingEvent> Events, List<FieldError> Errors, bool TooMany);

    public static Result Parse(ReadOnlyMemory<byte> body, bool ndjson, DateTimeOffset now)
    {
        var events = new List<IncomingEvent>();
        var errors = new List<FieldError>();
        if (ndjson)
        {
            var index = 0;
            foreach (var line in Lines(body))
            {
                if (index >= MaxEvents) return new Result(events, errors, TooMany: true);
                var (document, error) = Input.JsonInput.Parse(line, $"[{index}]", "the line");
                if (error is not null) errors.Add(error);
                else using (document) Item(document!.RootElement, index, now, events, errors);
                index++;
            }
        }
        else
        {
            var (document, error) = Input.JsonInput.Parse(body, "$", "the body");
            if (document is null)
            {
                errors.Add(error!);
                return new Result(events, errors, false);
            }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Array)
                {
                    errors.Add(new FieldError("$", "expected a JSON array of events (or NDJSON with Content-Type: application/x-ndjson)"));
                    return new Result(events, errors, false);
                }
                if (document.RootElement.GetArrayLength() > MaxEvents) return new Result(events, errors, TooMany: true);
                var index = 0;
                foreach (var item in document.RootElement.EnumerateArray()) Item(item, index++, now, events, errors);
            }
        }
        if (events.Count == 0 && errors.Count == 0) errors.Add(new FieldError("$", "the batch holds no events"));
        return new Result(events, errors, false);
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Lines(ReadOnlyMemory<byte> body)
    {
        var rest = body;
        while (rest.Length > 0)
        {
            var newline = rest.Span.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            rest = newline < 0 ? ReadOnlyMemory<byte>.Empty : rest[(newline + 1)..];
            if (!IsBlank(line.Span)) yield return line;
        }
    }

    /// <summary>The fields an event has; anything else is refused, since it would otherwise be dropped without a word.</summary>
    public static readonly string[] Fields = ["event_id", "account_id", "person_id", "event", "timestamp", "properties"];

    /// <summary>An event's <c>properties</c> as JSON text; larger is refused (docs/api-limits.md).</summary>
    public const int MaxPropertiesBytes = 32 * 1024;

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    private static void Item(JsonElement item, int index, DateTimeOffset now, List<IncomingEvent> events, List<FieldError> errors)
    {
        var at = $"[{index}]";
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(at, "each event must be a JSON object"));
            return;
        }
        var before = errors.Count;
        Unknown(item, at, errors);
        var eventId = Name(item, "event_id", at, required: true, errors);
        var accountId = Name(item, "account_id", at, required: true, errors);
        var personId = Name(item, "person_id", at, required: false, errors);
        var eventName = Name(item, "event", at, required: true, errors);
        var timestamp = Timestamp(item, at, now, errors);
        string? propertiesJson = null;
        Dictionary<string, double>? numbers = null;
        if (item.TryGetProperty("properties", out var properties) && properties.ValueKind != JsonValueKind.Null)
        {
            if (properties.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FieldError(at + ".properties", "must be a JSON object"));
            }
            else if (properties.GetRawText() is { Length: > MaxPropertiesBytes } raw)
            {
                errors.Add(new FieldError(at + ".properties", $"is {raw.Length:N0} bytes of JSON; at most {MaxPropertiesBytes:N0}"));
            }
            else if (Stored(properties, at + ".properties", errors))
            {
                propertiesJson = properties.GetRawText();
                foreach (var p in properties.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out var number) && double.IsFinite(number))
                        (numbers ??= [])[p.Name] = number;
                }
            }
        }
        if (errors.Count > before) return;
        events.Add(new IncomingEvent(eventId!, accountId!, personId, eventName!, timestamp!.Value, propertiesJson, numbers));
    }

    private static void Unknown(JsonElement item, string at, List<FieldError> errors)
    {
        foreach (var property in item.EnumerateObject())
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException)
            {
                errors.Add(new FieldError(at, "a field name " + Input.JsonText.SurrogateMessage));
                continue;
            }
            if (!Fields.Contains(name))
                errors.Add(new FieldError($"{at}.{name}", $"is not a field of an event (its fields are {string.Join(", ", Fields)}); extra data belongs in properties, e.g. \"properties\": {{\"{Truncate(name)}\": ...}}"));
        }
    }

    /// <summary>Whether PostgreSQL can store the properties (no NUL, no lone surrogate); adds an error per string that it cannot.</summary>
    private static bool Stored(JsonElement properties, string at, List<FieldError> errors)
    {
        var before = errors.Count;
        Input.JsonText.Check(properties, at, errors);
        return errors.Count == before;
    }

    private static string? Name(JsonElement item, string field, string at, bool required, List<FieldError> errors)
    {
        if (!item.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) errors.Add(new FieldError($"{at}.{field}", "is required"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError($"{at}.{field}", $"must be a string, not {Describe(value.ValueKind)}"));
            return null;
        }
        // System.Text.Json refuses to read a string holding a lone surrogate; such a name is refused like one with control characters.
        string? text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            text = null;
        }
        if (text is null || text.Length == 0 || text.Length > MaxIdLength || text.Any(char.IsControl) || Input.JsonText.HasLoneSurrogate(text))
        {
            errors.Add(new FieldError($"{at}.{field}", $"must be 1-{MaxIdLength} characters without control characters or lone surrogates"));
            return null;
        }
        return text;
    }

    private static DateTimeOffset? Timestamp(JsonElement item, string at, DateTimeOffset now, List<FieldError> errors)
    {
        var field = at + ".timestamp";
        if (!item.TryGetProperty("timestamp", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError(field, "is required"));
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new FieldError(field, $"must be an ISO 8601 string, not {Describe(value.ValueKind)}"));
            return null;
        }
        if (!Input.JsonText.TryGetString(value, out var text))
        {
            errors.Add(new FieldError(field, Input.JsonText.SurrogateMessage));
            return null;
        }
        if (!HasOffset(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            errors.Add(new FieldError(field, $"'{Truncate(text)}' is not an ISO 8601 timestamp with a time zone (e.g. 2026-11-20T10:00:00Z)"));
            return null;
        }
        parsed = OrleansSignals.Grains.Accounts.Iso.Microseconds(parsed.ToUniversalTime());
        if (parsed < Earliest || parsed > now + MaxFutureSkew)
        {
            errors.Add(new FieldError(field, $"must lie between {Earliest:yyyy-MM-dd} and one day from now"));
            return null;
        }
        return parsed;
    }

    // "2026-11-20T10:00:00" without Z or an offset is ambiguous: refuse it rather than guess a zone.
    private static bool HasOffset(string text) =>
        text.Length > 10 && (text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > 10);

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
