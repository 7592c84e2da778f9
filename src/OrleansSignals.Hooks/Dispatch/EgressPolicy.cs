using System.Net;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Which non-public destinations hooks may reach on this host: none by default; loopback only
/// (<see cref="HookOptions.AllowLoopback"/>, what scripts/run.sh sets for the local demo); or every
/// private and special-purpose address (<see cref="HookOptions.AllowPrivateNetworks"/>).
/// </summary>
public readonly record struct EgressPolicy(bool AllowPrivateNetworks, bool AllowLoopback)
{
    public const string PrivateSetting = "Signals:Hooks:AllowPrivateNetworks";
    public const string LoopbackSetting = "Signals:Hooks:AllowLoopback";

    public static EgressPolicy From(HookOptions options) => new(options.AllowPrivateNetworks, options.AllowLoopback);

    /// <summary>Null when hooks may connect to the address; otherwise why not.</summary>
    public string? Refusal(IPAddress address)
    {
        if (AllowPrivateNetworks) return null;
        if (AllowLoopback && IsLoopback(address)) return null;
        return DestinationGuard.RefusalReason(address);
    }

    /// <summary>The setting that would let hooks reach the address: the narrow one for loopback.</summary>
    public static string SettingFor(IPAddress address) =>
        IsLoopback(address) ? $"{LoopbackSetting} (loopback only) or {PrivateSetting}" : PrivateSetting;

    /// <summary>127.0.0.0/8 and ::1 as such (not the IPv4-mapped or NAT64 forms, which the guard refuses anyway).</summary>
    private static bool IsLoopback(IPAddress address) =>
        !address.IsIPv4MappedToIPv6 && IPAddress.IsLoopback(address);
}
