using System.Text.Json;
using OrleansSignals.Grains;

namespace OrleansSignals.Api.Input;

/// <summary>
/// Text in a JSON body that is not text PostgreSQL can store, found by its path: a lone UTF-16 surrogate
/// (<c>"\ud800"</c>, legal JSON but not Unicode) or the NUL character, in a value or in a field name.
/// </summary>
public static class JsonText
{
    public const string NulMessage = "must not contain the NUL character (\\u0000), which cannot be stored";

    public const string SurrogateMessage = "must not contain a lone UTF-16 surrogate (\\ud800-\\udfff without its pair), which is not text and cannot be stored";

    /// <summary>Adds an error for every string (value or name) under <paramref name="path"/> that cannot be stored.</summary>
    public static void Check(JsonElement element, string path, List<FieldError> errors)
    {
        // Both can only be written as \u escapes (a JSON reader refuses them raw, and the body was checked to be UTF-8):
        // skip the walk when no escape could be one.
        var raw = element.GetRawText();
        if (!raw.Contains("\\u", StringComparison.Ordinal)) return;
        Walk(element, path, errors);
    }

    private static void Walk(JsonElement element, string path, List<FieldError> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                if (Problem(element) is { } problem) errors.Add(new FieldError(Field(path), problem));
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray()) Walk(item, $"{path}[{index++}]", errors);
                break;
            case JsonValueKind.Object:
                var position = 0;
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        errors.Add(new FieldError(Field(path), $"the name of its field #{position + 1} {SurrogateMessage}"));
                        position++;
                        continue;
                    }
                    if (name.Contains('\0')) errors.Add(new FieldError(Field(path), $"the name of its field #{position + 1} {NulMessage}"));
                    else if (HasLoneSurrogate(name)) errors.Add(new FieldError(Field(path), $"the name of its field #{position + 1} {SurrogateMessage}"));
                    else Walk(property.Value, $"{path}.{name}", errors);
                    position++;
                }
                break;
        }
    }

    /// <summary>The string, or false when System.Text.Json cannot read it (it holds a lone surrogate).</summary>
    public static bool TryGetString(JsonElement value, out string text)
    {
        try
        {
            text = value.GetString() ?? "";
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    /// <summary>Why this string cannot be stored, or null.</summary>
    public static string? Problem(JsonElement value)
    {
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to read a string holding a lone surrogate.
            return SurrogateMessage;
        }
        if (text.Contains('\0')) return NulMessage;
        return HasLoneSurrogate(text) ? SurrogateMessage : null;
    }

    public static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return true;
        }
        return false;
    }

    private static string Field(string path) => path == "$" ? "$" : path.StartsWith("$", StringComparison.Ordinal) ? path[1..].TrimStart('.') : path;
}
