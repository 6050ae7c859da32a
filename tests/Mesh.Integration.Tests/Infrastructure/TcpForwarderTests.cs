using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mesh.Integration.Tests.Infrastructure;

public sealed class TcpForwarderTests
{
    [Fact]
    public async Task Forward_ReachesTheFirstTargetThatAccepts_InBothDirections()
    {
        var dead = FreePorts.Next();
        using var echo = new TcpListener(IPAddress.Loopback, 0);
        echo.Start();
        var echoPort = ((IPEndPoint)echo.LocalEndpoint).Port;
        var serving = Task.Run(async () =>
        {
            using var accepted = await echo.AcceptTcpClientAsync();
            var stream = accepted.GetStream();
            var buffer = new byte[5];
            await stream.ReadExactlyAsync(buffer);
            await stream.WriteAsync(buffer);
        });
        using var forwarder = new TcpForwarder([dead, echoPort]);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, forwarder.Port);
        await client.GetStream().WriteAsync("hello"u8.ToArray());
        var reply = new byte[5];
        await client.GetStream().ReadExactlyAsync(reply).AsTask().Within(TimeSpan.FromSeconds(10), "the echo");

        Assert.Equal("hello", Encoding.ASCII.GetString(reply));
        await serving;
    }
}
