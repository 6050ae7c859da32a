using System.Net;
using System.Net.Sockets;
using Mesh.Sidecar.Capture;

namespace Mesh.Sidecar.Tests.Capture;

public sealed class OriginalDestinationTests
{
    [Fact]
    public void A_sockaddr_in_gives_the_address_and_the_port_in_network_order()
    {
        // AF_INET (2, host order: little-endian here), port 9080 = 0x2378 big-endian, 10.96.0.15, 8 bytes of padding.
        byte[] sockaddr = [2, 0, 0x23, 0x78, 10, 96, 0, 15, 0, 0, 0, 0, 0, 0, 0, 0];

        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.96.0.15"), 9080), OriginalDestination.Parse(sockaddr));
    }

    [Fact]
    public void A_sockaddr_in6_gives_the_address_after_the_flow_label()
    {
        var sockaddr = new byte[28];
        sockaddr[0] = 10;
        sockaddr[2] = 0x01;
        sockaddr[3] = 0xBB;
        IPAddress.Parse("fd00::a").GetAddressBytes().CopyTo(sockaddr, 8);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("fd00::a"), 443), OriginalDestination.Parse(sockaddr));
    }

    [Fact]
    public void Another_family_or_a_short_buffer_is_no_destination()
    {
        Assert.Null(OriginalDestination.Parse([1, 0, 0, 80, 127, 0, 0, 1]));
        Assert.Null(OriginalDestination.Parse([2, 0, 0, 80]));
    }

    [Fact]
    public async Task A_connection_that_was_not_redirected_has_no_original_destination()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptSocketAsync();

        Assert.Null(OriginalDestination.Of(accepted));
    }
}
