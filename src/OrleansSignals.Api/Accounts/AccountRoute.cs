using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OrleansSignals.Grains;

namespace OrleansSignals.Api.Accounts;

/// <summary>What the account routes read from the URL beyond what model binding gives.</summary>
public static partial class AccountRoute
{
    /// <summary>
    /// The account id as the client meant it. The server decodes every escape in a path except <c>%2F</c>
    /// (an encoded <c>/</c> must not split a segment), so the route value of <c>org%2F123</c> is the literal
    /// text <c>org%2F123</c>, and <c>x%252F</c> arrives as the same text. Only the raw request target tells
    /// the two apart: when the route value still holds a <c>%</c>, the id is decoded from the one raw segment
    /// that the server's decoding turns into the route value. Counting segments instead would be fooled by a
    /// trailing slash or by dot segments, which the server removes from the path but not from the raw target.
    /// </summary>
    public static string Id(HttpContext http, string routeValue)
    {
        if (!routeValue.Contains('%')) return routeValue;
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (!string.IsNullOrEmpty(raw))
        {
            var query = raw.IndexOf('?');
            var matches = (query >= 0 ? raw[..query] : raw).Split('/').Where(s => ServerDecode(s) == routeValue).Distinct().ToList();
            if (matches.Count == 1) return Uri.UnescapeDataString(matches[0]);
        }
        // No raw target (the in-memory test server) or no single match: an encoded '/' is the best guess.
        return EncodedSlash().Replace(routeValue, "/");
    }

    /// <summary>A raw path segment as the server decodes it: every escape except an encoded '/'.</summary>
    private static string ServerDecode(string segment) =>
        string.Concat(EncodedSlash().Split(segment).Select(part => EncodedSlash().IsMatch(part) ? part : Uri.UnescapeDataString(part)));

    // Captured, so that Split keeps the encoded slashes between the parts it decodes.
    [GeneratedRegex("(%2F)", RegexOptions.IgnoreCase)]
    private static partial Regex EncodedSlash();

    /// <summary>An optional whole-number query parameter; a value that is not one is reported by name.</summary>
    public static int? Int(string? raw, string field, List<FieldError> errors)
    {
        if (raw is null) return null;
        if (int.TryParse(raw, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)) return value;
        errors.Add(new FieldError(field, $"'{raw}' is not a whole number"));
        return null;
    }
}
