using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using OrleansSignals.Grains;

namespace OrleansSignals.Api.Accounts;

/// <summary>What the account routes read from the URL beyond what model binding gives.</summary>
public static class AccountRoute
{
    /// <summary>
    /// The account id as the client meant it. The server decodes every escape in a path except <c>%2F</c>
    /// (an encoded <c>/</c> must not split a segment), so the route value of <c>org%2F123</c> is the literal
    /// text <c>org%2F123</c>, and <c>x%252F</c> arrives as the same text. Only the raw request target tells
    /// the two apart: when the route value still holds a <c>%</c>, the id is decoded from its raw segment.
    /// </summary>
    /// <param name="segmentFromEnd">Where the id stands in the path: 0 for <c>/accounts/{id}</c>, 1 for <c>/accounts/{id}/history</c>.</param>
    public static string Id(HttpContext http, string routeValue, int segmentFromEnd)
    {
        if (!routeValue.Contains('%')) return routeValue;
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        // Servers without a raw target (the in-memory test server): an encoded '/' is the best guess.
        if (string.IsNullOrEmpty(raw)) return routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        var query = raw.IndexOf('?');
        var segments = (query >= 0 ? raw[..query] : raw).Split('/');
        var index = segments.Length - 1 - segmentFromEnd;
        return index > 0 ? Uri.UnescapeDataString(segments[index]) : routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An optional whole-number query parameter; a value that is not one is reported by name.</summary>
    public static int? Int(string? raw, string field, List<FieldError> errors)
    {
        if (raw is null) return null;
        if (int.TryParse(raw, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value)) return value;
        errors.Add(new FieldError(field, $"'{raw}' is not a whole number"));
        return null;
    }
}
