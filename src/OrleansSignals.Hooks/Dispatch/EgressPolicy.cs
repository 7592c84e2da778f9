using System.Net;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Which non-public destinations hooks may reach on this host: none by default; loopback only
/// (<see cref="HookOptions.AllowLoopback"/>, what scripts/run.sh sets for the local demo); or every
/// private and special-purpose address (<see cref="HookOptions.AllowPrivateNetworks"/>).
/// </summary>
/// <remarks>The setting names are part of the policy: a refusal names the setting of the feature that was refused
/// (hooks, or enrichment providers, which have no loopback-only setting).</remarks>
public readonly record struct EgressPolicy(bool AllowPrivateNetworks, bool AllowLoopback,
    string PrivateSetting = EgressPolicy.HooksPrivateSetting, string? LoopbackSetting = EgressPolicy.HooksLoopbackSetting)
{
    public const string HooksPrivateSetting = "Signals:Hooks:AllowPrivateNetworks";
    public const string HooksLoopbackSetting = "Signals:Hooks:AllowLoopback";

    public static EgressPolicy From(HookOptions options) => new(options.AllowPrivateNetworks, options.AllowLoopback);

    /// <summary>Null when hooks may connect to the address; otherwise why not.</summary>
    public string? Refusal(IPAddress address)
    {
        if (AllowPrivateNetworks) return null;
        if (AllowLoopback && IsLoopback(address)) return null;
        return DestinationGuard.RefusalReason(address);
    }

    /// <summary>The setting that would let hooks reach the address: the narrow one for loopback.</summary>
    public string SettingFor(IPAddress address) =>
        IsLoopback(address) && LoopbackSetting is not null ? $"{LoopbackSetting} (loopback only) or {PrivateSetting}" : PrivateSetting;

    /// <summary>127.0.0.0/8 and ::1 as such (not the IPv4-mapped or NAT64 forms, which the guard refuses anyway).</summary>
    private static bool IsLoopback(IPAddress address) =>
        !address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(address);
}
