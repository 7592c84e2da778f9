using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansSignals.Signals.Scoring;

/// <summary>
/// A trait outcome: an account converts when its trait <see cref="Name"/> changes to a value that matches, from one that
/// did not (or from unset), within the outcome window. Exactly one operator: <c>equals</c> (any JSON scalar, compared as
/// JSON), or <c>gte</c> / <c>lte</c> (numbers; a trait that is not a number never matches).
/// </summary>
public sealed record TraitOutcome(
    string Name,
    [property: JsonPropertyName("equals")] JsonElement? EqualTo,
    double? Gte,
    double? Lte)
{
    /// <summary>The value compared with, as the jsonb parameter of <see cref="MatchSql"/>.</summary>
    [JsonIgnore]
    public string Operand => EqualTo is { } e ? e.GetRawText() : (Gte ?? Lte)!.Value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>SQL true when the jsonb <paramref name="column"/> matches <paramref name="operand"/> (a jsonb parameter); null or false otherwise.</summary>
    public string MatchSql(string column, string operand) => EqualTo is not null
        ? $"{column} = {operand}"
        : $"CASE WHEN jsonb_typeof({column}) = 'number' THEN {column}::numeric {(Gte is not null ? ">=" : "<=")} {operand}::numeric END";

    /// <summary>"plan = enterprise", "mrr >= 1000".</summary>
    public string Describe() => EqualTo is { } e
        ? $"{Name} = {(e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())}"
        : $"{Name} {(Gte is not null ? ">=" : "<=")} {Operand}";
}
