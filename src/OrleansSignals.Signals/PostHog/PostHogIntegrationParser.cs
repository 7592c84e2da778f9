using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OrleansSignals.Grains;
using OrleansSignals.Hooks.Dispatch;

namespace OrleansSignals.Signals.PostHog;

/// <summary>The PostHog integration from a request body (every field checked and named when wrong), and to and from its stored form.</summary>
public static partial class PostHogIntegrationParser
{
    private static readonly string[] Known = ["host", "project_id", "api_key", "account_group_index", "account_property"];

    public static (PostHogIntegration? Integration, List<FieldError> Errors) Parse(JsonElement body, EgressPolicy egress)
    {
        var f = new JsonFields(body, Known);
        if (!f.IsObject) return (null, f.Errors);
        var hostText = f.String("host", required: true);
        Uri? host = null;
        if (hostText is not null)
        {
            if (hostText.Length > 2048 || !Uri.TryCreate(hostText, UriKind.Absolute, out host) || host.Scheme is not ("http" or "https")
                || host.Host.Length == 0 || host.UserInfo.Length > 0 || host.Query.Length > 0 || host.Fragment.Length > 0)
            {
                f.Fail("host", "must be PostHog's absolute http or https URL without query or credentials, such as https://us.posthog.com or a self-hosted instance's");
                host = null;
            }
            else if (NonPublicHost(host, egress) is { } refused)
            {
                f.Fail("host", $"points to {refused.What}, not a public address (the private-network guard); set {refused.Setting} on the host to allow it");
                host = null;
            }
        }
        var projectId = f.Integer("project_id", required: true);
        if (projectId is < 1) f.Fail("project_id", "must be the PostHog project's id (a positive whole number, in the project's settings)");
        var key = f.String("api_key", required: true);
        if (key is { Length: 0 or > 500 } || key?.Any(c => c is '\r' or '\n' or ' ') == true) f.Fail("api_key", "must be a PostHog personal API key (1-500 characters, no spaces)");
        var group = f.Integer("account_group_index");
        if (group is < 0 or > 4) f.Fail("account_group_index", "must be a PostHog group type index, 0-4 (the group type whose key is the account id)");
        var property = f.String("account_property");
        if (property is not null && !PropertyPattern().IsMatch(property))
            f.Fail("account_property", "must be a person property name: 1-200 of letters, digits, '_' and '$', not starting with a digit");
        if (group is not null && property is not null) f.Fail("account_property", "give account_group_index or account_property, not both");
        if (f.Errors.Count > 0) return (null, f.Errors);
        // Group analytics' first group type, unless a person property names the account.
        return (new PostHogIntegration(Normalize(host!), projectId!.Value, key!, property is null ? group ?? 0 : null, property), f.Errors);
    }

    /// <summary>What is stored in <c>workspace_integrations.settings</c>.</summary>
    public static JsonElement ToStored(PostHogIntegration p) => JsonSerializer.SerializeToElement(new JsonObject
    {
        ["host"] = p.Host.ToString(),
        ["project_id"] = p.ProjectId,
        ["api_key"] = p.ApiKey,
        ["account_group_index"] = p.AccountGroupIndex,
        ["account_property"] = p.AccountProperty,
    });

    public static PostHogIntegration FromStored(JsonElement s) => new(
        new Uri(s.GetProperty("host").GetString()!), s.GetProperty("project_id").GetInt32(), s.GetProperty("api_key").GetString()!,
        s.GetProperty("account_group_index").ValueKind == JsonValueKind.Number ? s.GetProperty("account_group_index").GetInt32() : null,
        s.GetProperty("account_property").GetString());

    /// <summary>What GET shows: everything but the key.</summary>
    public static JsonObject ToView(PostHogIntegration p) => new()
    {
        ["host"] = p.Host.ToString(),
        ["project_id"] = p.ProjectId,
        ["account_group_index"] = p.AccountGroupIndex,
        ["account_property"] = p.AccountProperty,
        ["api_key_set"] = true,
    };

    /// <summary>A trailing slash, so relative API paths resolve under a self-hosted instance's path prefix.</summary>
    private static Uri Normalize(Uri host) => host.AbsolutePath.EndsWith('/') ? host : new Uri(host + "/");

    /// <summary>
    /// Why the host is not public, judged without DNS: an IP literal by the guard's rules, and the names RFC 6761
    /// reserves for this host. Other names are judged at connect time, on the addresses actually dialled.
    /// </summary>
    private static (string What, string Setting)? NonPublicHost(Uri uri, EgressPolicy egress)
    {
        var host = uri.Host.Trim('[', ']');
        if (IPAddress.TryParse(host, out var literal))
            return egress.Refusal(literal) is { } reason ? ($"{literal} ({reason})", egress.SettingFor(literal)) : null;
        var name = host.TrimEnd('.');
        var local = name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
        return local && egress.Refusal(IPAddress.Loopback) is not null ? ($"{host} (a name for this host, RFC 6761)", egress.SettingFor(IPAddress.Loopback)) : null;
    }

    [GeneratedRegex("^[A-Za-z_$][A-Za-z0-9_$]{0,199}$")]
    private static partial Regex PropertyPattern();
}
