using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Mesh.Sidecar.Capture;
using Mesh.Sidecar.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Sidecar.Tests.Capture;

public sealed class CapturedTcpTests
{
    [Fact]
    public void Ports_named_for_a_protocol_other_than_clear_text_http_are_tcp_ports()
    {
        var options = new SidecarOptions
        {
            XdsServers = ["127.0.0.1:15010"],
            Workload = "db",
            ServicePorts =
            [
                new("http", 9080), new("http2-api", 9081), new("grpc", 9082), new("grpc-web", 9083), new("web", 9084),
                new("tcp", 3306), new("mysql-main", 3307), new("MONGO", 27017), new("redis", 6379), new("tls-x", 9443),
            ],
        };

        Assert.Equal([3306, 3307, 6379, 9443, 27017], options.TcpPorts.Order());
    }

    [Fact]
    public async Task A_declared_tcp_port_is_passed_through_at_once_for_a_server_that_speaks_first()
    {
        using var server = new Greeter();

        // A sniff would wait for the silent client far longer than Connect waits for the greeting (10 s), so the
        // greeting arriving at all shows the port was not sniffed, however slow a loaded machine is.
        var (greeting, _) = await Connect(server.Port, tcpPorts: new HashSet<int> { server.Port }, sniffWait: TimeSpan.FromMinutes(5));

        Assert.Equal("220 ready\r\n", greeting);
    }

    [Fact]
    public async Task An_undeclared_port_waits_for_the_client_before_it_is_taken_for_tcp()
    {
        using var server = new Greeter();

        var (greeting, elapsed) = await Connect(server.Port, tcpPorts: new HashSet<int>());

        Assert.Equal("220 ready\r\n", greeting);
        Assert.True(elapsed >= ProtocolSniff.Timeout - TimeSpan.FromMilliseconds(20), $"took {elapsed.TotalMilliseconds} ms");
    }

    /// <summary>A captured inbound connection to <paramref name="port"/> whose client says nothing: what reaches it
    /// first, and when.</summary>
    private static async Task<(string Greeting, TimeSpan Elapsed)> Connect(int port, IReadOnlySet<int> tcpPorts, TimeSpan? sniffWait = null)
    {
        var fromClient = new Pipe();
        var toClient = new Pipe();
        var connection = new DefaultConnectionContext("c1", new Duplex(fromClient.Reader, toClient.Writer), new Duplex(toClient.Reader, fromClient.Writer));
        connection.Features.Set(new CapturedConnection(new IPEndPoint(IPAddress.Parse("10.244.1.5"), port)));
        var watch = Stopwatch.StartNew();
        var handling = CapturedTcp.Handle(connection, _ => throw new InvalidOperationException("not HTTP"), inbound: true, tcpPorts, NullLogger.Instance, sniffWait);
        var read = await toClient.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var elapsed = watch.Elapsed;
        var greeting = Encoding.ASCII.GetString(System.Buffers.BuffersExtensions.ToArray(read.Buffer));
        toClient.Reader.AdvanceTo(read.Buffer.End);
        await fromClient.Writer.CompleteAsync();
        await handling.WaitAsync(TimeSpan.FromSeconds(10));
        return (greeting, elapsed);
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }

    /// <summary>A server-first protocol on 127.0.0.1: greets on accept, closes when the client does.</summary>
    private sealed class Greeter : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public Greeter()
        {
            _listener.Start();
            _ = Serve();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        private async Task Serve()
        {
            try
            {
                using var client = await _listener.AcceptTcpClientAsync();
                var stream = client.GetStream();
                await stream.WriteAsync(Encoding.ASCII.GetBytes("220 ready\r\n"));
                _ = await stream.ReadAsync(new byte[64]);
            }
            catch (Exception exception) when (exception is ObjectDisposedException or SocketException or IOException)
            {
            }
        }

        public void Dispose() => _listener.Stop();
    }
}
