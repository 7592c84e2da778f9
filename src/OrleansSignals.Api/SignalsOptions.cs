using System.ComponentModel.DataAnnotations;

namespace OrleansSignals.Api;

/// <summary>Host settings (section <c>Signals</c>).</summary>
public sealed class SignalsOptions
{
    /// <summary>The operator token that may create workspaces. Required; at least 16 characters.</summary>
    [Required, MinLength(16)]
    public string AdminToken { get; set; } = "";

    /// <summary>
    /// What this host runs, comma-separated: <c>grains</c> (an Orleans silo: account and workspace grains, their
    /// reminders and the export schedule clock), <c>api</c> (HTTP endpoints; without <c>grains</c> the host is an
    /// Orleans client in front of the silos), <c>workers</c> (the hook dispatcher and the export worker).
    /// Default: all.
    /// </summary>
    public string Roles { get; set; } = "api,grains,workers";

    /// <summary>
    /// Proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> the host believes: addresses or
    /// networks in CIDR form (<c>10.0.0.0/8</c>). Loopback is always trusted. Behind the compose or
    /// Kubernetes proxy, list its network, so that the client address (which the failed-key limit counts
    /// by, and which logs show) is the client's and not the proxy's.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];

    public bool Runs(string role) =>
        Roles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Any(r => r == role || r == "all");
}
