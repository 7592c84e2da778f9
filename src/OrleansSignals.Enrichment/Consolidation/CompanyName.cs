using System.Text;

namespace OrleansSignals.Enrichment.Consolidation;

/// <summary>
/// The key under which spellings of one company meet: "Stripe, Inc.", "stripe" and "STRIPE INC" all give "stripe".
/// Lower-case; '&amp;' becomes "and"; punctuation goes; a leading "the" and trailing legal forms (inc, llc, ltd,
/// gmbh, ...) go, repeatedly; then the spaces go, so "Acme Labs" and "AcmeLabs" meet too.
/// </summary>
public static class CompanyName
{
    private static readonly HashSet<string> LegalForms =
    [
        "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "corp", "corporation", "co", "company", "plc", "gmbh", "ag",
        "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "pty", "oy", "ab", "as", "asa", "kk", "pte", "pvt", "holdings",
    ];

    private static readonly HashSet<string> SecondLevelSuffixes = ["co.uk", "org.uk", "ac.uk", "com.au", "net.au", "co.nz", "co.jp", "com.br", "co.in", "com.mx", "co.za", "com.sg"];

    public static string Normalize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return "";
        var text = new StringBuilder(name.Length);
        foreach (var c in name.ToLowerInvariant().Replace("&", " and "))
            text.Append(char.IsLetterOrDigit(c) ? c : ' ');
        var words = text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && LegalForms.Contains(words[^1])) words.RemoveAt(words.Count - 1);
        if (words.Count > 1 && words[0] == "the") words.RemoveAt(0);
        return string.Concat(words);
    }

    /// <summary>The company key of a domain or URL: its registrable label ("https://www.stripe.com/x" and "stripe.co.uk" give "stripe").</summary>
    public static string FromDomain(string domain)
    {
        var host = domain.Trim().ToLowerInvariant();
        if (host.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(host, UriKind.Absolute, out var uri)) host = uri.Host;
        host = host.Split('/', 2)[0].TrimEnd('.');
        var labels = host.Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (labels.Length == 0) return "";
        if (labels.Length == 1) return Normalize(labels[0]);
        var suffixLabels = labels.Length >= 3 && SecondLevelSuffixes.Contains($"{labels[^2]}.{labels[^1]}") ? 2 : 1;
        return Normalize(labels[^(suffixLabels + 1)]);
    }

    /// <summary>True for a value that reads as a domain ("stripe.com"), false for a name ("Stripe, Inc.").</summary>
    public static bool LooksLikeDomain(string value)
    {
        var v = value.Trim();
        if (v.Contains("://", StringComparison.Ordinal)) return true;
        return !v.Contains(' ') && v.Contains('.') && !v.EndsWith('.') && v.Split('.')[^1].Length >= 2 && v.Split('.')[^1].All(char.IsAsciiLetter)
            && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');
    }
}
