using System.Text.Json;

namespace OrleansSignals.Grains.Accounts;

/// <summary>Which properties of an event metric and anomaly insights can read: the finite numbers.</summary>
public static class EventProperties
{
    public static Dictionary<string, double>? Numeric(JsonElement properties)
    {
        Dictionary<string, double>? numbers = null;
        foreach (var p in properties.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out var number) && double.IsFinite(number))
                (numbers ??= [])[p.Name] = number;
        }
        return numbers;
    }

    /// <summary>The same, from the stored JSON text (a replay reads events back from the journal).</summary>
    public static Dictionary<string, double>? Numeric(string? propertiesJson)
    {
        if (propertiesJson is null) return null;
        using var document = JsonDocument.Parse(propertiesJson);
        return document.RootElement.ValueKind == JsonValueKind.Object ? Numeric(document.RootElement) : null;
    }
}
