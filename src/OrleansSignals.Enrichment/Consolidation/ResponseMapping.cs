using System.Text.Json;
using System.Text.RegularExpressions;
using OrleansSignals.Grains;

namespace OrleansSignals.Enrichment.Consolidation;

/// <summary>
/// Where a provider's JSON keeps each lead field: field -> dotted paths, the first present wins. The
/// <c>work_history.*</c> fields are paths inside each element of the <c>work_history</c> array. A provider's
/// mapping overrides the default shape field by field.
/// </summary>
public sealed partial class ResponseMapping
{
    public const string WorkHistory = "work_history";

    /// <summary>The documented default shape.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Defaults = new Dictionary<string, string[]>
    {
        ["first_name"] = ["person.first_name"],
        ["last_name"] = ["person.last_name"],
        ["full_name"] = ["person.name", "person.full_name"],
        ["email"] = ["person.email"],
        ["email_verified"] = ["person.email_verified", "person.email_status"],
        ["linkedin_url"] = ["person.linkedin_url"],
        ["title"] = ["person.title"],
        ["company"] = ["person.company", "person.current_company"],
        [WorkHistory] = ["work_history"],
        ["work_history.company"] = ["company", "company_name"],
        ["work_history.title"] = ["title"],
        ["work_history.start_date"] = ["start_date"],
        ["work_history.end_date"] = ["end_date"],
    };

    public static readonly ResponseMapping Default = new(Defaults);

    public ResponseMapping(IReadOnlyDictionary<string, string[]> paths)
    {
        Paths = Defaults.ToDictionary(d => d.Key, d => paths.TryGetValue(d.Key, out var custom) ? custom : d.Value);
        var history = Paths[WorkHistory];
        // Every leaf path the mapping reads, in the notation of PayloadPaths (arrays as "name[]").
        Known = [.. Paths.Where(p => !p.Key.StartsWith(WorkHistory, StringComparison.Ordinal)).SelectMany(p => p.Value),
            .. Paths.Where(p => p.Key.StartsWith(WorkHistory + ".", StringComparison.Ordinal))
                .SelectMany(p => p.Value.SelectMany(inner => history.Select(h => $"{h}[].{inner}")))];
    }

    /// <summary>Field -> paths, every field present (defaults filled in).</summary>
    public IReadOnlyDictionary<string, string[]> Paths { get; }

    public HashSet<string> Known { get; }

    /// <summary>The first present, non-null value of a field.</summary>
    public JsonElement? Find(JsonElement root, string field) => First(root, Paths[field]);

    public static JsonElement? First(JsonElement root, IEnumerable<string> paths)
    {
        foreach (var path in paths)
        {
            var current = root;
            var found = true;
            foreach (var segment in path.Split('.'))
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
                {
                    found = false;
                    break;
                }
            }
            if (found && current.ValueKind != JsonValueKind.Null) return current;
        }
        return null;
    }

    /// <summary>Reads a mapping from the API: field -> a path or a list of paths.</summary>
    public static (Dictionary<string, string[]> Mapping, List<FieldError> Errors) Parse(Dictionary<string, JsonElement>? mapping)
    {
        var result = new Dictionary<string, string[]>();
        var errors = new List<FieldError>();
        foreach (var (field, value) in mapping ?? [])
        {
            if (!Defaults.ContainsKey(field))
            {
                errors.Add(new($"mapping.{field}", $"is not a field; fields: {string.Join(", ", Defaults.Keys)}"));
                continue;
            }
            string[]? paths = value.ValueKind switch
            {
                JsonValueKind.String => [value.GetString()!],
                JsonValueKind.Array when value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) => [.. value.EnumerateArray().Select(v => v.GetString()!)],
                _ => null,
            };
            if (paths is not { Length: > 0 and <= 10 } || paths.Any(p => !PathSyntax().IsMatch(p)))
                errors.Add(new($"mapping.{field}", "must be a dotted JSON path such as 'person.email', or a list of 1 to 10 of them"));
            else
                result[field] = paths;
        }
        return (result, errors);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-]{1,100}(\.[A-Za-z0-9_\-]{1,100}){0,9}$")]
    private static partial Regex PathSyntax();
}
