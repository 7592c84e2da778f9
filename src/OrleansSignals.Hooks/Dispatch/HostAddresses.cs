using System.Net;
using System.Net.NetworkInformation;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// The addresses of this host's own interfaces. A public address of the host is global by the registries but
/// still reaches the host itself (its admin ports, the Orleans silo and gateway), so the guard refuses it too.
/// Read again at most every <see cref="RefreshAfter"/>, so an address a host gains later is refused soon.
/// </summary>
public static class HostAddresses
{
    public static readonly TimeSpan RefreshAfter = TimeSpan.FromSeconds(30);

    private static (long ReadAt, HashSet<IPAddress> Addresses)? _cache;

    public static bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        // Interface addresses carry a scope id (fe80::1%2); compare without it.
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && address.ScopeId != 0) address = new IPAddress(address.GetAddressBytes());
        return Current().Contains(address);
    }

    private static HashSet<IPAddress> Current()
    {
        var now = Environment.TickCount64;
        if (_cache is { } cached && now - cached.ReadAt < (long)RefreshAfter.TotalMilliseconds) return cached.Addresses;
        var addresses = new HashSet<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                    addresses.Add(new IPAddress(unicast.Address.GetAddressBytes()));
        }
        catch (NetworkInformationException)
        {
            // Unreadable: keep what was read before (the registries still refuse every private address).
            if (_cache is { } previous) return previous.Addresses;
        }
        _cache = (now, addresses);
        return addresses;
    }
}
