namespace OrleansSignals.Enrichment.Upload;

/// <summary>
/// The person fields a batch item carries besides its raw cells, and the CSV headers that map to each
/// without a <c>mapping</c> (compared lower-case with everything but letters and digits removed).
/// </summary>
public static class LeadColumns
{
    public static readonly IReadOnlyList<string> All = ["first_name", "last_name", "email", "title", "company", "linkedin_url", "website"];

    private static readonly Dictionary<string, string[]> Aliases = new()
    {
        ["first_name"] = ["firstname", "first", "givenname"],
        ["last_name"] = ["lastname", "last", "surname", "familyname"],
        ["email"] = ["email", "emailaddress", "workemail", "personemail", "businessemail"],
        ["title"] = ["title", "jobtitle", "position"],
        ["company"] = ["company", "companyname", "organization", "organisation", "accountname"],
        ["linkedin_url"] = ["personlinkedinurl", "linkedinurl", "linkedin", "linkedinprofile", "linkedinprofileurl"],
        ["website"] = ["website", "companywebsite", "domain", "companydomain", "websiteurl"],
    };

    /// <summary>Column -> index of its header; an explicit mapping (column -> header) wins over the aliases.</summary>
    public static (Dictionary<string, int> Map, List<Grains.FieldError> Errors) Resolve(IReadOnlyList<string> header, IReadOnlyDictionary<string, string>? mapping)
    {
        var map = new Dictionary<string, int>();
        var errors = new List<Grains.FieldError>();
        var squashed = header.Select(Squash).ToArray();
        foreach (var column in All)
        {
            var index = Array.FindIndex(squashed, h => Aliases[column].Contains(h));
            if (index >= 0) map[column] = index;
        }
        foreach (var (column, name) in mapping ?? new Dictionary<string, string>())
        {
            if (!All.Contains(column))
            {
                errors.Add(new($"mapping.{column}", $"is not a field; fields: {string.Join(", ", All)}"));
                continue;
            }
            var index = header.ToList().IndexOf(name);
            if (index < 0) index = Array.IndexOf(squashed, Squash(name));
            if (index < 0) errors.Add(new($"mapping.{column}", $"names the header '{name}', which the file does not have"));
            else map[column] = index;
        }
        return (map, errors);
    }

    private static string Squash(string header) => new([.. header.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)]);
}
