using System.Globalization;
using System.Text.Json;

namespace OrleansSignals.Enrichment.Consolidation;

/// <summary>
/// The conflict rules, applied to one item's upload row and its succeeded results taken oldest first
/// (<c>received_at</c>, then result id, so the same results always give the same lead):
/// <list type="number">
/// <item>Email: a verified email beats an unverified one however new; between equals the newer wins; the uploaded
/// email counts as unverified and oldest.</item>
/// <item>Names, LinkedIn URL, title: the newest non-empty provider value, else the uploaded one.</item>
/// <item>Current company: the newest provider <c>company</c>, else the current work-history entry that started last,
/// else the uploaded company.</item>
/// <item>Work history: entries from every result, one per (normalized company, start date), the newest result's
/// version winning; ordered by start date (latest first, unknown last), then company and title. An entry is
/// <c>former</c> when it ended and the person is not at that company now (no open stint there, not the current company).</item>
/// </list>
/// </summary>
public sealed class LeadMerger(IReadOnlyDictionary<string, ResponseMapping> mappings)
{
    private readonly Dictionary<(string Provider, string Path), long> _unmapped = [];
    private readonly Dictionary<(string Provider, string Path), long> _invalid = [];

    public IReadOnlyDictionary<(string Provider, string Path), long> Unmapped => _unmapped;

    public IReadOnlyDictionary<(string Provider, string Path), long> Invalid => _invalid;

    public (Lead Lead, List<WorkEntry> History) Merge(UploadedPerson person, IReadOnlyList<ProviderResult> results)
    {
        string? firstName = null, lastName = null, fullName = null, linkedin = null, title = null, company = null;
        (string Value, bool Verified)? email = string.IsNullOrWhiteSpace(person.Email) ? null : (person.Email.Trim(), false);
        var history = new Dictionary<(string, DateOnly?), WorkEntry>();
        foreach (var result in results)
        {
            var mapping = mappings.TryGetValue(result.Provider, out var m) ? m : ResponseMapping.Default;
            CountUnmapped(result, mapping);
            firstName = Text(result.Payload, mapping, "first_name") ?? firstName;
            lastName = Text(result.Payload, mapping, "last_name") ?? lastName;
            fullName = Text(result.Payload, mapping, "full_name") ?? fullName;
            linkedin = Text(result.Payload, mapping, "linkedin_url") ?? linkedin;
            title = Text(result.Payload, mapping, "title") ?? title;
            company = Text(result.Payload, mapping, "company") ?? company;
            if (Text(result.Payload, mapping, "email") is { } found)
            {
                var verified = Verified(mapping.Find(result.Payload, "email_verified"));
                if (email is null || verified || !email.Value.Verified) email = (found, verified);
            }
            foreach (var entry in Entries(result, mapping))
                history[(entry.CompanyNameNormalized, entry.StartDate)] = entry;
        }
        var ordered = history.Values
            .OrderBy(e => e.StartDate is null).ThenByDescending(e => e.StartDate)
            .ThenBy(e => e.CompanyNameNormalized, StringComparer.Ordinal).ThenBy(e => e.Title, StringComparer.Ordinal)
            .Select((e, i) => e with { Ordinal = i + 1 })
            .ToList();
        company ??= ordered.Where(e => e.IsCurrent).OrderByDescending(e => e.StartDate).FirstOrDefault()?.CompanyName ?? Blank(person.Company);
        firstName ??= Blank(person.FirstName);
        lastName ??= Blank(person.LastName);
        fullName ??= string.Join(' ', new[] { firstName, lastName }.Where(n => n is not null)) is { Length: > 0 } joined ? joined : null;
        var lead = new Lead(person.ItemId, person.Line, firstName, lastName, fullName, email?.Value, email?.Verified ?? false,
            linkedin ?? Blank(person.LinkedinUrl), company, title ?? Blank(person.Title));
        var currentKey = CompanyName.Normalize(company);
        var openAt = ordered.Where(e => e.IsCurrent).Select(e => e.CompanyNameNormalized).ToHashSet(StringComparer.Ordinal);
        ordered = [.. ordered.Select(e => e with { Former = !e.IsCurrent && !openAt.Contains(e.CompanyNameNormalized) && e.CompanyNameNormalized != currentKey })];
        return (lead, ordered);
    }

    private IEnumerable<WorkEntry> Entries(ProviderResult result, ResponseMapping mapping)
    {
        if (mapping.Find(result.Payload, ResponseMapping.WorkHistory) is not { ValueKind: JsonValueKind.Array } array) yield break;
        var arrayPath = mapping.Paths[ResponseMapping.WorkHistory].First(p => ResponseMapping.First(result.Payload, [p]) is not null);
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object) continue;
            var name = Text(element, mapping, "work_history.company");
            var normalized = CompanyName.Normalize(name);
            if (name is null || normalized.Length == 0) continue;
            var start = Date(element, mapping, "work_history.start_date", result.Provider, arrayPath, out _);
            var end = Date(element, mapping, "work_history.end_date", result.Provider, arrayPath, out var endIsCurrent);
            yield return new WorkEntry(0, name, normalized, Text(element, mapping, "work_history.title"), start, end, end is null && endIsCurrent, result.Id);
        }
    }

    /// <summary>A date from "2019", "2019-03", "2019-03-14" or an ISO time; <paramref name="current"/> when absent or "present".</summary>
    private DateOnly? Date(JsonElement element, ResponseMapping mapping, string field, string provider, string arrayPath, out bool current)
    {
        current = false;
        var value = mapping.Find(element, field);
        if (value is null)
        {
            current = true;
            return null;
        }
        var text = value.Value.ValueKind == JsonValueKind.String ? value.Value.GetString()!.Trim() : null;
        if (text is null || text.Length == 0 || text.ToLowerInvariant() is "present" or "current" or "now")
        {
            current = text is not null;
            if (text is null) Count(_invalid, provider, $"{arrayPath}[].{field[(ResponseMapping.WorkHistory.Length + 1)..]}");
            return null;
        }
        string[] formats = ["yyyy-MM-dd", "yyyy-MM", "yyyy"];
        if (DateOnly.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return DateOnly.FromDateTime(time.UtcDateTime);
        Count(_invalid, provider, $"{arrayPath}[].{field[(ResponseMapping.WorkHistory.Length + 1)..]}");
        return null;
    }

    private static string? Text(JsonElement root, ResponseMapping mapping, string field) =>
        mapping.Find(root, field) is { } value ? value.ValueKind switch
        {
            JsonValueKind.String => Blank(value.GetString()),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    private static bool Verified(JsonElement? value) => value is { } v && (v.ValueKind == JsonValueKind.True
        || (v.ValueKind == JsonValueKind.String && v.GetString()!.Trim().ToLowerInvariant() is "verified" or "valid" or "true" or "deliverable"));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private void CountUnmapped(ProviderResult result, ResponseMapping mapping)
    {
        foreach (var path in PayloadPaths.Leaves(result.Payload).Distinct())
            if (!mapping.Known.Contains(path)) Count(_unmapped, result.Provider, path);
    }

    private static void Count(Dictionary<(string, string), long> counts, string provider, string path) =>
        counts[(provider, path)] = counts.GetValueOrDefault((provider, path)) + 1;
}
