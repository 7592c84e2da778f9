using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using OrleansSignals.Grains;

namespace OrleansSignals.Api.Input;

/// <summary>
/// Checks a parsed body against the shape of the type it binds to, before binding, and reports every problem at
/// once by its path: a field the type does not have, a value of the wrong JSON type (saying what is expected), a
/// null where the type does not allow one, a string or list over its limit, and text PostgreSQL cannot store.
/// The shape comes from the serializer's own contract (<see cref="JsonTypeInfo"/>), so a new request type is
/// checked without further code; <c>[MaxLength]</c> on a member tightens its limit.
/// </summary>
public static class JsonShape
{
    private sealed record Member(JsonPropertyInfo Info, NullabilityInfo? Nullability, int? MaxLength);

    private static readonly ConcurrentDictionary<JsonTypeInfo, Dictionary<string, Member>> Members = new();

    public static List<FieldError> Check(JsonElement root, JsonTypeInfo info)
    {
        var errors = new List<FieldError>();
        JsonText.Check(root, "$", errors);
        Value(root, info, nullability: null, maxLength: null, "$", errors);
        return errors;
    }

    private static void Value(JsonElement value, JsonTypeInfo info, NullabilityInfo? nullability, int? maxLength, string path, List<FieldError> errors)
    {
        var type = info.Type;
        // Free-form JSON (trait values, event properties): any shape, null included, bounded by the body's size and depth.
        if (IsFreeForm(type)) return;
        if (value.ValueKind == JsonValueKind.Null)
        {
            var nullable = type.IsValueType ? Nullable.GetUnderlyingType(type) is not null : nullability?.WriteState != NullabilityState.NotNull;
            if (!nullable || path == "$") errors.Add(new FieldError(Field(path), $"must not be null; expected {Describe(type)}"));
            return;
        }
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                if (!Expect(value, JsonValueKind.Object, type, path, errors)) return;
                Object(value, info, path, errors);
                return;
            case JsonTypeInfoKind.Enumerable:
                if (!Expect(value, JsonValueKind.Array, type, path, errors)) return;
                var limit = maxLength ?? InputLimits.MaxItems;
                if (value.GetArrayLength() > limit)
                {
                    errors.Add(new FieldError(Field(path), $"holds {value.GetArrayLength():N0} items; at most {limit:N0}"));
                    return;
                }
                var elementInfo = info.Options.GetTypeInfo(info.ElementType!);
                var elementNullability = nullability?.ElementType ?? nullability?.GenericTypeArguments.FirstOrDefault();
                var index = 0;
                foreach (var item in value.EnumerateArray()) Value(item, elementInfo, elementNullability, null, $"{path}[{index++}]", errors);
                return;
            case JsonTypeInfoKind.Dictionary:
                if (!Expect(value, JsonValueKind.Object, type, path, errors)) return;
                var entries = value.EnumerateObject().Count();
                var most = maxLength ?? InputLimits.MaxItems;
                if (entries > most)
                {
                    errors.Add(new FieldError(Field(path), $"holds {entries:N0} entries; at most {most:N0}"));
                    return;
                }
                var valueInfo = info.Options.GetTypeInfo(info.ElementType!);
                var valueNullability = nullability?.GenericTypeArguments.LastOrDefault();
                foreach (var entry in value.EnumerateObject())
                {
                    if (!TryName(entry, out var key)) continue;
                    var at = $"{path}.{key}";
                    if (key.Length is 0 or > InputLimits.MaxKeyLength)
                        errors.Add(new FieldError(Field(at), $"a key is 1-{InputLimits.MaxKeyLength} characters"));
                    else
                        Value(entry.Value, valueInfo, valueNullability, null, at, errors);
                }
                return;
            default:
                Leaf(value, info, maxLength, path, errors);
                return;
        }
    }

    private static void Object(JsonElement value, JsonTypeInfo info, string path, List<FieldError> errors)
    {
        var members = Members.GetOrAdd(info, Survey);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in value.EnumerateObject())
        {
            if (!TryName(property, out var name)) continue;
            var at = path == "$" ? name : $"{path}.{name}";
            if (!members.TryGetValue(name, out var member))
            {
                errors.Add(new FieldError(Field(at), $"is not a field here; expected any of {string.Join(", ", members.Values.Select(m => m.Info.Name).Distinct())}"));
                continue;
            }
            if (!seen.Add(member.Info.Name))
            {
                errors.Add(new FieldError(Field(at), "appears more than once"));
                continue;
            }
            Value(property.Value, info.Options.GetTypeInfo(member.Info.PropertyType), member.Nullability, member.MaxLength, at, errors);
        }
        foreach (var member in members.Values.Where(m => m.Info.IsRequired && !seen.Contains(m.Info.Name)).DistinctBy(m => m.Info.Name))
            errors.Add(new FieldError(Field(path == "$" ? member.Info.Name : $"{path}.{member.Info.Name}"), $"is required: {Describe(member.Info.PropertyType)}"));
    }

    private static void Leaf(JsonElement value, JsonTypeInfo info, int? maxLength, string path, List<FieldError> errors)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        var kind = ExpectedKind(type);
        if (kind is { } expected && !(value.ValueKind == expected || (expected == JsonValueKind.True && value.ValueKind == JsonValueKind.False)))
        {
            errors.Add(new FieldError(Field(path), $"must be {Describe(type)}, not {Describe(value.ValueKind)}"));
            return;
        }
        if (type == typeof(string))
        {
            string text;
            try
            {
                text = value.GetString()!;
            }
            catch (InvalidOperationException)
            {
                return; // JsonText reported it.
            }
            var limit = maxLength ?? InputLimits.MaxStringLength;
            if (text.Length > limit) errors.Add(new FieldError(Field(path), $"is {text.Length:N0} characters long; at most {limit:N0}"));
            return;
        }
        try
        {
            value.Deserialize(info);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or OverflowException or NotSupportedException or ArgumentException)
        {
            if (value.ValueKind == JsonValueKind.String && !JsonText.TryGetString(value, out _)) return; // JsonText reported it.
            errors.Add(new FieldError(Field(path), JsonText.TryGetString(value, out var text)
                ? $"'{Truncate(text)}' is not {Describe(type)}"
                : $"{Truncate(value.GetRawText())} is not {Describe(type)}"));
        }
    }

    private static bool IsFreeForm(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(JsonElement) || type == typeof(object) || type.IsAssignableTo(typeof(JsonNode));
    }

    private static bool Expect(JsonElement value, JsonValueKind kind, Type type, string path, List<FieldError> errors)
    {
        if (value.ValueKind == kind) return true;
        errors.Add(new FieldError(Field(path), $"must be {Describe(type)}, not {Describe(value.ValueKind)}"));
        return false;
    }

    private static bool TryName(JsonProperty property, out string name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            name = "";
            return false; // JsonText reported it.
        }
    }

    private static Dictionary<string, Member> Survey(JsonTypeInfo info)
    {
        var context = new NullabilityInfoContext();
        var members = new Dictionary<string, Member>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in info.Properties.Where(p => p.Set is not null || p.IsRequired || p.AssociatedParameter is not null))
        {
            NullabilityInfo? nullability = property.AttributeProvider switch
            {
                PropertyInfo p => context.Create(p),
                FieldInfo f => context.Create(f),
                _ => null,
            };
            var attributes = property.AttributeProvider?.GetCustomAttributes(true) ?? [];
            int? maxLength = attributes.OfType<MaxLengthAttribute>().Select(a => (int?)a.Length).FirstOrDefault()
                             ?? attributes.OfType<StringLengthAttribute>().Select(a => (int?)a.MaximumLength).FirstOrDefault();
            members[property.Name] = new Member(property, nullability, maxLength);
        }
        return members;
    }

    private static JsonValueKind? ExpectedKind(Type type) => type switch
    {
        _ when type == typeof(string) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(DateOnly)
               || type == typeof(TimeOnly) || type == typeof(Guid) || type.IsEnum => JsonValueKind.String,
        _ when type == typeof(bool) => JsonValueKind.True,
        _ when type.IsPrimitive || type == typeof(decimal) => JsonValueKind.Number,
        _ => null,
    };

    /// <summary>What a value of this type looks like on the wire, for error messages.</summary>
    public static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when IsFreeForm(type) => "any JSON value",
            _ when type == typeof(string) => "a string",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) => "a whole number",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "an ISO 8601 time with a time zone, e.g. 2026-11-20T10:00:00Z",
            _ when type == typeof(DateOnly) => "a date as YYYY-MM-DD",
            _ when type == typeof(TimeOnly) => "a time of day as HH:mm",
            _ when type == typeof(Guid) => "an id (a UUID)",
            _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.SnakeCaseLower.ConvertName(n)))}",
            _ when type.IsAssignableTo(typeof(System.Collections.IDictionary)) || IsGenericDictionary(type) => "a JSON object",
            _ when type.IsAssignableTo(typeof(System.Collections.IEnumerable)) => "a JSON array",
            _ => "a JSON object",
        };
    }

    private static bool IsGenericDictionary(Type type) =>
        type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() is var d
            && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>)));

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => "null",
    };

    /// <summary>The error's field: the JSON path without its root, or <c>$</c> for the body itself.</summary>
    private static string Field(string path) => path == "$" ? "$" : path.StartsWith("$", StringComparison.Ordinal) ? path[1..].TrimStart('.') : path;

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
