using System.Net;
using System.Net.NetworkInformation;
using OrleansSignals.Hooks.Dispatch;

namespace OrleansSignals.FunctionalTests.Hooks;

/// <summary>
/// The guard's classifier on the addresses themselves (no traffic): every block the IANA special-purpose
/// registries mark not globally reachable is refused, the registries' global exceptions are not.
/// </summary>
public sealed class AddressClassifierTests
{
    public static TheoryData<string> NonGlobal =>
    [
        "0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254", "127.0.0.1", "127.1.2.3",
        "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.1", "192.0.0.8", "192.0.0.170", "192.0.2.1", "192.0.2.255",
        "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1",
        "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "::", "::1", "::127.0.0.1", "::8.8.8.8", "::ffff:127.0.0.1", "::ffff:8.8.8.8", "64:ff9b::7f00:1", "64:ff9b::808:808",
        "64:ff9b:1::1", "100::1", "2001::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001:2::1", "2001:10::1", "2001:db8::1",
        "2001:db8:ffff::1", "2002:7f00:1::1", "2002:c000:201::1", "2002:a00:1::1", "3fff::1", "5f00::1", "fc00::1", "fd12:3456::1",
        "fe80::1", "fe80::1%2", "fec0::1", "ff02::1", "ff0e::1",
    ];

    public static TheoryData<string> Global =>
    [
        "8.8.8.8", "1.1.1.1", "93.184.215.14", "192.0.0.9", "192.0.0.10", "100.63.255.255", "100.128.0.0", "172.32.0.1",
        "198.17.255.255", "198.20.0.0", "223.255.255.255",
        "2606:4700:4700::1111", "2001:4860:4860::8888", "2001:1::1", "2001:1::2", "2001:1::3", "2001:3::1", "2001:4:112::1",
        "2001:20::1", "2001:30::1", "2002:808:808::1", "2a00:1450:4001::1",
    ];

    [Theory]
    [MemberData(nameof(NonGlobal))]
    public void Refuses_every_address_the_registries_mark_not_globally_reachable(string address)
    {
        var reason = AddressClassifier.NonGlobalReason(IPAddress.Parse(address));
        Assert.NotNull(reason);
        Assert.False(DestinationGuard.IsPublic(IPAddress.Parse(address)));
    }

    [Theory]
    [MemberData(nameof(Global))]
    public void Accepts_globally_reachable_addresses(string address) =>
        Assert.Null(AddressClassifier.NonGlobalReason(IPAddress.Parse(address)));

    [Fact]
    public void Names_the_block_it_refuses()
    {
        Assert.Contains("198.18.0.0/15", AddressClassifier.NonGlobalReason(IPAddress.Parse("198.18.3.4")));
        Assert.Contains("6to4 of 127.0.0.1", AddressClassifier.NonGlobalReason(IPAddress.Parse("2002:7f00:1::1")));
        Assert.Contains("NAT64", AddressClassifier.NonGlobalReason(IPAddress.Parse("64:ff9b::808:808")));
        Assert.Contains("Teredo", AddressClassifier.NonGlobalReason(IPAddress.Parse("2001::1")));
    }

    [Fact]
    public void Refuses_every_address_of_this_hosts_own_interfaces()
    {
        var own = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address).ToList();
        Assert.NotEmpty(own);
        foreach (var address in own)
        {
            Assert.True(HostAddresses.Contains(address), $"{address} is this host's");
            Assert.NotNull(DestinationGuard.RefusalReason(address));
        }
    }
}
