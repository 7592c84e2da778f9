using System.Net;
using System.Net.Sockets;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// Says whether an address is globally reachable, following the IANA IPv4 and IPv6 Special-Purpose Address
/// Registries (RFC 6890 and later registrations): every block whose "Globally Reachable" is False is refused,
/// and so are blocks the registries leave undecided or that only carry another address (IPv4-mapped and
/// IPv4-compatible, NAT64, Teredo). 6to4 (2002::/16) is judged by the IPv4 address it embeds.
/// </summary>
/// <remarks>
/// IPv6 outside 2000::/3 (the global unicast space) is never global: that covers ::/128, ::1, ::a.b.c.d,
/// ::ffff:0:0/96, 64:ff9b::/96, 64:ff9b:1::/48, 100::/64, 5f00::/16, fc00::/7, fe80::/10, fec0::/10 and
/// ff00::/8 without listing them. Inside it the registries' non-global blocks are listed in
/// <see cref="NonGlobalV6"/>, with their globally reachable exceptions.
/// </remarks>
public static class AddressClassifier
{
    private static readonly (IPNetwork Block, string Name)[] NonGlobalV4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "\"this network\" (RFC 791)"),
        (IPNetwork.Parse("10.0.0.0/8"), "private-use (RFC 1918)"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared address space (RFC 6598)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback (RFC 1122)"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local (RFC 3927)"),
        (IPNetwork.Parse("172.16.0.0/12"), "private-use (RFC 1918)"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignments (RFC 6890)"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation, TEST-NET-1 (RFC 5737)"),
        (IPNetwork.Parse("192.88.99.0/24"), "6to4 relay anycast, deprecated (RFC 7526)"),
        (IPNetwork.Parse("192.168.0.0/16"), "private-use (RFC 1918)"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking (RFC 2544)"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation, TEST-NET-2 (RFC 5737)"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation, TEST-NET-3 (RFC 5737)"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast (RFC 5771)"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved (RFC 1112), incl. limited broadcast 255.255.255.255"),
    ];

    /// <summary>Blocks inside 192.0.0.0/24 that the IPv4 registry marks globally reachable.</summary>
    private static readonly IPNetwork[] GlobalV4Exceptions =
    [
        IPNetwork.Parse("192.0.0.9/32"),   // Port Control Protocol anycast (RFC 7723)
        IPNetwork.Parse("192.0.0.10/32"),  // TURN anycast (RFC 8155)
    ];

    private static readonly IPNetwork GlobalUnicastV6 = IPNetwork.Parse("2000::/3");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private static readonly (IPNetwork Block, string Name)[] NonGlobalV6 =
    [
        (IPNetwork.Parse("2001::/32"), "Teredo (RFC 4380)"),
        (IPNetwork.Parse("2001::/23"), "IETF protocol assignments (RFC 2928)"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation (RFC 3849)"),
        (IPNetwork.Parse("3fff::/20"), "documentation (RFC 9637)"),
    ];

    /// <summary>Blocks inside 2001::/23 that the IPv6 registry marks globally reachable.</summary>
    private static readonly IPNetwork[] GlobalV6Exceptions =
    [
        IPNetwork.Parse("2001:1::1/128"),   // Port Control Protocol anycast (RFC 7723)
        IPNetwork.Parse("2001:1::2/128"),   // TURN anycast (RFC 8155)
        IPNetwork.Parse("2001:1::3/128"),   // DNS-SD service registration anycast (RFC 9665)
        IPNetwork.Parse("2001:3::/32"),     // AMT (RFC 7450)
        IPNetwork.Parse("2001:4:112::/48"), // AS112-v6 (RFC 7535)
        IPNetwork.Parse("2001:20::/28"),    // ORCHIDv2 (RFC 7343)
        IPNetwork.Parse("2001:30::/28"),    // DRIP entity tags (RFC 9374)
    ];

    /// <summary>Null when the address is globally reachable; otherwise what it is (for the error message).</summary>
    public static string? NonGlobalReason(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => V4Reason(address),
        AddressFamily.InterNetworkV6 => V6Reason(address),
        _ => "not an IP address",
    };

    public static bool IsGlobal(IPAddress address) => NonGlobalReason(address) is null;

    private static string? V4Reason(IPAddress address)
    {
        foreach (var exception in GlobalV4Exceptions)
            if (exception.Contains(address)) return null;
        foreach (var (block, name) in NonGlobalV4)
            if (block.Contains(address)) return $"{block} {name}";
        return null;
    }

    private static string? V6Reason(IPAddress address)
    {
        // Equality and Contains ignore the scope id, so fe80::1%2 is judged as fe80::1.
        if (address.IsIPv4MappedToIPv6) return "::ffff:0:0/96 IPv4-mapped (RFC 4291)";
        if (!GlobalUnicastV6.Contains(address)) return Outside2000(address);
        if (SixToFour.Contains(address))
        {
            var bytes = address.GetAddressBytes();
            var embedded = new IPAddress(bytes.AsSpan(2, 4));
            return V4Reason(embedded) is { } inner ? $"2002::/16 6to4 of {embedded}, {inner}" : null;
        }
        foreach (var exception in GlobalV6Exceptions)
            if (exception.Contains(address)) return null;
        foreach (var (block, name) in NonGlobalV6)
            if (block.Contains(address)) return $"{block} {name}";
        return null;
    }

    private static string Outside2000(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (b[0] == 0xff) return "ff00::/8 multicast (RFC 4291)";
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "fe80::/10 link-local (RFC 4291)";
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return "fec0::/10 site-local, deprecated (RFC 3879)";
        if ((b[0] & 0xfe) == 0xfc) return "fc00::/7 unique-local (RFC 4193)";
        if (address.Equals(IPAddress.IPv6Loopback)) return "::1/128 loopback (RFC 4291)";
        if (address.Equals(IPAddress.IPv6Any)) return "::/128 unspecified (RFC 4291)";
        if (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return "64:ff9b::/96 or 64:ff9b:1::/48 NAT64 (RFC 6052, RFC 8215)";
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0) return "::/96 IPv4-compatible, deprecated (RFC 4291)";
        return "outside 2000::/3, the global unicast space (RFC 4291)";
    }
}
