using System.Text.Json;

namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// A trait whose value a traits turn changed (<see cref="Value"/> null: removed; <see cref="OldValue"/> null: was not
/// set). Kept in table <c>trait_changes</c>, so a scoring outcome can tell when a trait reached a value.
/// </summary>
public sealed record TraitChange(string Name, JsonElement? OldValue, JsonElement? Value, DateTimeOffset ChangedAt)
{
    /// <summary>The traits whose value differs between <paramref name="before"/> and <paramref name="after"/> (compared as JSON).</summary>
    public static IEnumerable<TraitChange> Between(IReadOnlyDictionary<string, JsonElement> before, IReadOnlyDictionary<string, JsonElement> after, DateTimeOffset at)
    {
        foreach (var (name, value) in after)
        {
            var had = before.TryGetValue(name, out var old);
            if (!had || !JsonElement.DeepEquals(old, value)) yield return new TraitChange(name, had ? old : null, value, at);
        }
        foreach (var (name, old) in before)
        {
            if (!after.ContainsKey(name)) yield return new TraitChange(name, old, null, at);
        }
    }
}
