using System.Text.Json;
using OrleansSignals.Grains;

namespace OrleansSignals.Signals;

/// <summary>
/// Reads the members of one JSON object by name, collecting a <see cref="FieldError"/> for each member of the wrong
/// type and for each member the resource does not have (a misspelt field is refused, never ignored).
/// </summary>
public sealed class JsonFields
{
    private readonly JsonElement _root;
    private readonly string _prefix;

    public List<FieldError> Errors { get; } = [];

    public JsonFields(JsonElement root, IReadOnlyCollection<string> known, string prefix = "")
    {
        _root = root;
        _prefix = prefix;
        if (root.ValueKind != JsonValueKind.Object)
        {
            Errors.Add(new FieldError(prefix.Length == 0 ? "$" : prefix.TrimEnd('.'), "expected a JSON object"));
            return;
        }
        foreach (var property in root.EnumerateObject())
        {
            if (!known.Contains(property.Name)) Errors.Add(new FieldError(prefix + property.Name, $"is not a field of this resource (fields: {string.Join(", ", known)})"));
        }
    }

    public bool IsObject => _root.ValueKind == JsonValueKind.Object;

    public bool Has(string name) => IsObject && _root.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public string? String(string name, bool required = false)
    {
        if (!Has(name))
        {
            if (required && IsObject) Errors.Add(new FieldError(_prefix + name, "is required"));
            return null;
        }
        var value = _root.GetProperty(name);
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        Errors.Add(new FieldError(_prefix + name, "must be a string"));
        return null;
    }

    public double? Number(string name, bool required = false)
    {
        if (!Has(name))
        {
            if (required && IsObject) Errors.Add(new FieldError(_prefix + name, "is required"));
            return null;
        }
        var value = _root.GetProperty(name);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d)) return d;
        Errors.Add(new FieldError(_prefix + name, "must be a finite number"));
        return null;
    }

    public int? Integer(string name, bool required = false)
    {
        if (!Has(name))
        {
            if (required && IsObject) Errors.Add(new FieldError(_prefix + name, "is required"));
            return null;
        }
        var value = _root.GetProperty(name);
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i)) return i;
        Errors.Add(new FieldError(_prefix + name, "must be a whole number"));
        return null;
    }

    public bool? Boolean(string name)
    {
        if (!Has(name)) return null;
        var value = _root.GetProperty(name);
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Errors.Add(new FieldError(_prefix + name, "must be true or false"));
        return null;
    }

    public JsonElement? Element(string name) => Has(name) ? _root.GetProperty(name) : null;

    public void Fail(string name, string message) => Errors.Add(new FieldError(_prefix + name, message));
}
