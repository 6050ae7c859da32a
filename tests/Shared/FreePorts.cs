using System.Net;
using System.Net.Sockets;

namespace Mesh.Testing;

/// <summary>TCP ports for a test to hand to something that binds them later (a child process, a gateway on 0.0.0.0).
/// A port the kernel picked for a listener on port 0 comes from the ephemeral range, and once released it can be
/// picked again, for any connection's local end, before the test binds it ("address already in use"). These come from
/// below that range, where the kernel never picks, so only an explicit bind can take one: none is handed out twice in
/// a process, and each is free on every interface when handed.</summary>
public static class FreePorts
{
    /// <summary>Between Mesh's own default ports (the silo's 11111, the sidecar's 150xx, the Orleans gateway's 30000),
    /// so a test's port never meets a process started with its defaults.</summary>
    public const int Lowest = 20000, Highest = 30000;
    private static readonly HashSet<int> Handed = [];
    private static readonly Lazy<int> EphemeralStart = new(ReadEphemeralStart);

    public static int Next()
    {
        lock (Handed)
        {
            var high = Math.Min(Highest, EphemeralStart.Value);
            for (var attempt = 0; attempt < 1000 && high - Lowest > 1000; attempt++)
            {
                var port = Random.Shared.Next(Lowest, high);
                if (Handed.Contains(port) || !Bindable(port)) continue;
                Handed.Add(port);
                return port;
            }
            // No room below the ephemeral range on this machine: fall back to a port the kernel picks.
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (Handed.Add(port)) return port;
            }
        }
    }

    private static bool Bindable(int port)
    {
        try
        {
            using var any = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            any.Bind(new IPEndPoint(IPAddress.Any, port));
            any.Listen();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of Linux's ephemeral range (net.ipv4.ip_local_port_range); the documented default
    /// (32768) where it cannot be read.</summary>
    private static int ReadEphemeralStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0]);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }
}
