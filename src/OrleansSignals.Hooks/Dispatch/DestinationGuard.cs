using System.Net;
using System.Net.Sockets;

namespace OrleansSignals.Hooks.Dispatch;

/// <summary>
/// The SSRF guard: connects only to globally reachable addresses (<see cref="AddressClassifier"/>) that are
/// not this host's own (<see cref="HostAddresses"/>), unless the <see cref="EgressPolicy"/> allows them. It runs in the
/// handler's ConnectCallback, on the addresses actually dialled, so DNS rebinding cannot slip past it.
/// </summary>
public static class DestinationGuard
{
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, EgressPolicy policy, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        if (addresses.Length == 0) throw new IOException($"{endpoint.Host} resolves to no address");
        var allowed = addresses.Where(a => policy.Refusal(a) is null).ToArray();
        if (allowed.Length == 0)
            throw new DestinationRefusedException(
                $"Refused: {endpoint.Host} resolves only to addresses that are not public ({addresses[0]}: {policy.Refusal(addresses[0])}); set {policy.SettingFor(addresses[0])} to allow them");
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

    /// <summary>Null when hooks may connect to the address; otherwise why not.</summary>
    public static string? RefusalReason(IPAddress address) =>
        AddressClassifier.NonGlobalReason(address) ?? (HostAddresses.Contains(address) ? "an address of this host" : null);

    public static bool IsPublic(IPAddress address) => RefusalReason(address) is null;
}
