using System.Text;
using System.Text.Json;

namespace OrleansSignals.Grains.Accounts;

/// <summary>
/// How large an account's traits may be. Traits are part of the account's state, which every turn, list and
/// checkpoint carries: one unbounded value (a 20 MB trait was once stored) would slow every one of them.
/// </summary>
public static class TraitLimits
{
    public const int MaxTraits = 100;
    public const int MaxNameLength = 100;

    /// <summary>One trait's value, as JSON text in UTF-8.</summary>
    public const int MaxValueBytes = 4 * 1024;

    /// <summary>All of an account's traits together: names and values, as JSON text in UTF-8.</summary>
    public const int MaxSetBytes = 64 * 1024;

    /// <summary>What is wrong with a whole set of traits (after a merge, for PATCH), each problem naming its trait.</summary>
    public static List<TraitProblem> Check(IReadOnlyDictionary<string, JsonElement> traits)
    {
        var problems = new List<TraitProblem>();
        var total = 0;
        foreach (var (name, value) in traits)
        {
            if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl))
                problems.Add(new TraitProblem(name, $"a trait name is 1-{MaxNameLength} characters without control characters", TooLarge: false));
            var bytes = Encoding.UTF8.GetByteCount(value.GetRawText());
            if (bytes > MaxValueBytes)
                problems.Add(new TraitProblem(name, $"its value is {bytes:N0} bytes of JSON; a trait's value may be at most {MaxValueBytes:N0}", TooLarge: false));
            total += Encoding.UTF8.GetByteCount(name) + bytes;
        }
        if (traits.Count > MaxTraits)
            problems.Add(new TraitProblem("$", $"the account would have {traits.Count} traits; at most {MaxTraits}", TooLarge: true));
        else if (total > MaxSetBytes)
        {
            var largest = traits.OrderByDescending(t => t.Value.GetRawText().Length).Take(3).Select(t => $"'{t.Key}'");
            problems.Add(new TraitProblem("$", $"the account's traits would be {total:N0} bytes of JSON; at most {MaxSetBytes:N0} in all (largest: {string.Join(", ", largest)})", TooLarge: true));
        }
        return problems;
    }
}

/// <summary>One trait that cannot be stored and why; <see cref="TooLarge"/> when the whole set is over its limit (413).</summary>
[GenerateSerializer, Immutable]
public sealed record TraitProblem([property: Id(0)] string Trait, [property: Id(1)] string Message, [property: Id(2)] bool TooLarge);

/// <summary>The account after a trait change, or why the change was refused (nothing changed then).</summary>
[GenerateSerializer, Immutable]
public sealed record TraitsUpdate([property: Id(0)] AccountView? View, [property: Id(1)] IReadOnlyList<TraitProblem> Problems);
