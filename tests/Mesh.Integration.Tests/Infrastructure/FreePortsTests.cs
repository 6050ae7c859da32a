using System.Net;
using System.Net.Sockets;

namespace Mesh.Integration.Tests.Infrastructure;

public sealed class FreePortsTests
{
    [Fact]
    public void Ports_come_from_below_the_ephemeral_range_are_never_handed_twice_and_bind_on_every_interface()
    {
        var ephemeralStart = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0]);

        var ports = Enumerable.Range(0, 200).Select(_ => FreePorts.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, FreePorts.Lowest, Math.Min(FreePorts.Highest, ephemeralStart) - 1));
        using var listener = new TcpListener(IPAddress.Any, ports[0]);
        listener.Start();
    }
}
