using System.Net;
using System.Text.RegularExpressions;
using OrleansSignals.Enrichment.Consolidation;
using OrleansSignals.Grains;
using OrleansSignals.Hooks.Dispatch;

namespace OrleansSignals.Enrichment.Providers;

/// <summary>Checks a provider request; every error names its field.</summary>
public static partial class ProviderValidator
{
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "content-type", "content-length", "host", "transfer-encoding", "connection",
    };

    public static List<FieldError> Validate(ProviderRequest request, bool allowPrivateNetworks, out Dictionary<string, string[]> mapping)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(request.Name)) errors.Add(new("name", "is required"));
        else if (!NameSyntax().IsMatch(request.Name)) errors.Add(new("name", "must be 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit"));

        if (string.IsNullOrWhiteSpace(request.Url))
            errors.Add(new("url", "is required"));
        else if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            errors.Add(new("url", "must be an absolute http or https URL"));
        else if (request.Url.Length > 2048)
            errors.Add(new("url", "is longer than 2048 characters"));
        else if (!allowPrivateNetworks && IsPrivate(uri))
            errors.Add(new("url", "points to a private, loopback or link-local address (Signals:Enrichment:AllowPrivateNetworks is off)"));

        if (request.Method is { } method && method.ToUpperInvariant() is not ("POST" or "PUT"))
            errors.Add(new("method", "must be POST or PUT (the item is sent as a JSON body)"));
        if (request.Headers is { } headers)
        {
            if (headers.Count > 20) errors.Add(new("headers", "at most 20 headers"));
            foreach (var (name, value) in headers)
            {
                if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c)))
                    errors.Add(new($"headers.{name}", "is not a valid header name"));
                else if (ReservedHeaders.Contains(name))
                    errors.Add(new($"headers.{name}", "is set by the runner and cannot be configured"));
                if (value is null || value.Any(c => c is '\r' or '\n' or '\0') || value.Length > 4096)
                    errors.Add(new($"headers.{name}", "must be a string without line breaks, at most 4096 characters"));
            }
        }
        if (request.RateLimitPerMinute is { } rate && rate is < 1 or > 60_000)
            errors.Add(new("rate_limit_per_minute", "must be between 1 and 60000"));
        if (request.Concurrency is { } concurrency && concurrency is < 1 or > 64)
            errors.Add(new("concurrency", "must be between 1 and 64"));
        if (request.TimeoutMs is { } timeout && timeout is < 100 or > 120_000)
            errors.Add(new("timeout_ms", "must be between 100 and 120000"));
        (mapping, var mappingErrors) = ResponseMapping.Parse(request.Mapping);
        errors.AddRange(mappingErrors);
        return errors;
    }

    /// <summary>
    /// A literal private address, or a name that resolves only to private addresses now. The connect-time guard
    /// (<see cref="DestinationGuard"/>) checks again on every call, so a name re-pointed later is refused then.
    /// </summary>
    private static bool IsPrivate(Uri uri)
    {
        if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var literal)) return !DestinationGuard.IsPublic(literal);
        if (uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)) return true;
        try
        {
            var addresses = Dns.GetHostAddresses(uri.Host);
            return addresses.Length > 0 && addresses.All(a => !DestinationGuard.IsPublic(a));
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Unknown today; the connect-time guard decides when it resolves.
            return false;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex NameSyntax();
}
