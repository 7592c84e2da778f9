using System.Net;
using System.Net.Sockets;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// The SSRF guard: connects only to public addresses unless private networks are allowed. It runs in the
/// handler's ConnectCallback, on the addresses actually dialled, so DNS rebinding cannot slip past it.
/// </summary>
public static class DestinationGuard
{
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = addresses.Where(a => allowPrivate || IsPublic(a)).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"Refused: {endpoint.Host} resolves only to private, loopback or link-local addresses (Signals:Hooks:AllowPrivateNetworks is off).");
        SocketException? last = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(address, endpoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return false;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast);
        var b = address.GetAddressBytes();
        return !(b[0] == 0 || b[0] == 10 || b[0] == 127
                 || (b[0] == 100 && b[1] >= 64 && b[1] < 128)   // carrier-grade NAT
                 || (b[0] == 169 && b[1] == 254)                 // link-local, cloud metadata
                 || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                 || (b[0] == 192 && b[1] == 168)
                 || b[0] >= 224);                                // multicast, reserved, broadcast
    }
}
