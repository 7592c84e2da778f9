using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// JSON merge patch (RFC 7396) applied to an account's traits: a trait set to null is removed, an object merges into
/// an object trait member by member (null removing a member there too), anything else replaces the trait.
/// </summary>
public static class TraitMerge
{
    public static Dictionary<string, JsonElement> Apply(IReadOnlyDictionary<string, JsonElement> traits, IReadOnlyDictionary<string, JsonElement> patch)
    {
        var merged = new Dictionary<string, JsonElement>(traits);
        foreach (var (name, value) in patch)
        {
            if (value.ValueKind == JsonValueKind.Null) merged.Remove(name);
            else if (value.ValueKind == JsonValueKind.Object && merged.TryGetValue(name, out var old) && old.ValueKind == JsonValueKind.Object)
                merged[name] = JsonSerializer.SerializeToElement(Merge(JsonNode.Parse(old.GetRawText()), JsonNode.Parse(value.GetRawText())));
            else merged[name] = Strip(value);
        }
        return merged;
    }

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (name, value) in patchObject.ToList())
        {
            if (value is null) result.Remove(name);
            else result[name] = Merge(result[name], value);
        }
        return result;
    }

    /// <summary>A new value: members set to null inside it mean "absent" under merge patch, so they are not stored.</summary>
    private static JsonElement Strip(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object ? JsonSerializer.SerializeToElement(Merge(null, JsonNode.Parse(value.GetRawText()))) : value.Clone();
}
