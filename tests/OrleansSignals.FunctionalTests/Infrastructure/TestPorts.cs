using System.Net;
using System.Net.Sockets;

namespace OrleansSignals.FunctionalTests.Infrastructure;

/// <summary>
/// Ports for servers the tests start in other processes (hosts, silos, gateways, S3, SMTP). A port the kernel hands
/// out for <c>bind(0)</c> lies in the ephemeral range, and once the probe releases it any outgoing connection (to
/// PostgreSQL, to a receiver) may take it as its local port before the server binds it: "address already in use".
/// These come from below that range, where the kernel never picks local ports on its own, each one handed out once
/// per test run and checked free before use.
/// </summary>
public static class TestPorts
{
    private const int Floor = 20_000;
    private static readonly int Low = EphemeralLow();

    // Test runs in parallel (another checkout on the same machine) start at different places.
    private static int _count = Random.Shared.Next();

    public static int Next()
    {
        var span = Math.Max(1, Low - Floor);
        for (var tries = 0; tries < 2_000; tries++)
        {
            // Cycles through [Floor, Low): never into the ephemeral range, however many ports a run takes.
            var port = Floor + (int)((uint)Interlocked.Increment(ref _count) % (uint)span);
            if (IsFree(port)) return port;
        }
        throw new InvalidOperationException($"No free port between {Floor} and {Low}");
    }

    private static int EphemeralLow()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
