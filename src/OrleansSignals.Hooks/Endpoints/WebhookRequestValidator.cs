using OrleansSignals.Storage;
using System.Net;
using OrleansSignals.Grains;
using OrleansSignals.Hooks.Dispatch;
using OrleansSignals.Hooks.Signing;

namespace OrleansSignals.Hooks.Endpoints;

/// <summary>Checks an endpoint request; every error names its field.</summary>
public static class WebhookRequestValidator
{
    private static readonly HashSet<string> ReservedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "content-length", "host",
        "transfer-encoding", "connection", "user-agent",
    };

    public static List<FieldError> Validate(WebhookRequest request, EgressPolicy egress)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(request.Url))
            errors.Add(new("url", "is required"));
        else if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            errors.Add(new("url", "must be an absolute http or https URL"));
        else if (NonPublicHost(uri, egress) is { } refused)
            errors.Add(new("url", $"points to {refused.What}, not a public address (the private-network guard); set {refused.Setting} on the host to allow it"));
        else if (request.Url.Length > 2048)
            errors.Add(new("url", "is longer than 2048 characters"));

        if (request.EventTypes is not { Count: > 0 })
            errors.Add(new("event_types", $"needs at least one of: {string.Join(", ", EventTypes.All)}"));
        else
        {
            foreach (var type in request.EventTypes.Where(t => !EventTypes.All.Contains(t)).Distinct())
                errors.Add(new("event_types", $"'{type}' is not an event type; known: {string.Join(", ", EventTypes.All)}"));
        }

        if (request.Description is { Length: > 1000 }) errors.Add(new("description", "is longer than 1000 characters"));
        if (request.Filters is { } filters) ValidateFilters(filters, errors);
        if (request.Headers is { } headers)
        {
            if (headers.Count > 20) errors.Add(new("headers", "at most 20 headers"));
            foreach (var (name, value) in headers)
            {
                if (name.Length == 0 || name.Any(c => c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".Contains(c)))
                    errors.Add(new($"headers.{name}", "is not a valid header name"));
                else if (ReservedHeaders.Contains(name))
                    errors.Add(new($"headers.{name}", "is set by the dispatcher and cannot be configured"));
                if (value.Any(c => c is '\r' or '\n' or '\0') || value.Length > 4096)
                    errors.Add(new($"headers.{name}", "has a value with line breaks or longer than 4096 characters"));
            }
        }
        if (request.RateLimitPerSecond is { } rate && rate is < 1 or > 10_000)
            errors.Add(new("rate_limit_per_second", "must be between 1 and 10000"));
        if (request.Format is { } format && format is not (WebhookFormats.Standard or WebhookFormats.Slack))
            errors.Add(new("format", "must be 'standard' or 'slack'"));
        if (request.Secret is { } secret && WebhookSecret.Decode(secret) is null)
            errors.Add(new("secret", "must be 'whsec_' followed by base64 of 24 to 64 bytes"));
        return errors;
    }

    /// <summary>
    /// Why the URL's host is not public, judged without DNS: an IP literal by the guard's rules, and the names
    /// RFC 6761 reserves for this host (localhost, *.localhost). Other names are judged at connect time, on
    /// the addresses actually dialled (a name can be re-pointed after creation anyway).
    /// </summary>
    private static (string What, string Setting)? NonPublicHost(Uri uri, EgressPolicy egress)
    {
        var host = uri.Host.Trim('[', ']');
        if (IPAddress.TryParse(host, out var literal))
            return egress.Refusal(literal) is { } reason ? ($"{literal} ({reason})", egress.SettingFor(literal)) : null;
        var name = host.TrimEnd('.');
        var local = name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
        return local && egress.Refusal(IPAddress.Loopback) is not null
            ? ($"{host} (a name for this host, RFC 6761)", egress.SettingFor(IPAddress.Loopback))
            : null;
    }

    private static void ValidateFilters(WebhookFilters filters, List<FieldError> errors)
    {
        if (filters.Insights is { } insights && (insights.Count == 0 || insights.Count > 200 || insights.Any(string.IsNullOrWhiteSpace)))
            errors.Add(new("filters.insights", "must list 1 to 200 insight keys"));
        if (filters.Accounts is { } accounts && (accounts.Count == 0 || accounts.Count > 10_000 || accounts.Any(string.IsNullOrWhiteSpace)))
            errors.Add(new("filters.accounts", "must list 1 to 10000 account ids"));
        if (filters.HealthDropGte is { } drop && drop is < 1 or > 100)
            errors.Add(new("filters.health_drop_gte", "must be a number of points between 1 and 100"));
        if (filters.HealthRiseGte is { } rise && rise is < 1 or > 100)
            errors.Add(new("filters.health_rise_gte", "must be a number of points between 1 and 100"));
    }
}
