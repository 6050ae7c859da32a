using System.Net;
using System.Net.Sockets;
using System.Text;
using Mesh.Sidecar.Health;
using Mesh.Sidecar.Hosting;

namespace Mesh.Sidecar.Tests.Health;

/// <summary>The original probes run against a real app on loopback, judged as kubelet judges them.</summary>
public sealed class AppHealthEndpointTests : IDisposable
{
    private readonly AppHealthEndpoint _endpoint = new(new SidecarOptions { XdsServers = [], Workload = "w" });

    [Theory]
    [InlineData(200, true)]
    [InlineData(302, true)]
    [InlineData(404, false)]
    [InlineData(500, false)]
    public async Task Http_StatusDecides(int status, bool healthy)
    {
        using var app = new RawHttpApp(status);
        var probe = new AppProbe("/app-health/a/livez", AppProbeKind.Http, "127.0.0.1", app.Port, TimeSpan.FromSeconds(2))
        {
            HttpPath = "/health?deep=1",
            Headers = [new("X-Probe", "kubelet")],
        };
        Assert.Equal(healthy, (await _endpoint.Check(probe, CancellationToken.None)).Healthy);
        var request = await app.Request;
        Assert.StartsWith("GET /health?deep=1 HTTP/1.1", request);
        Assert.Contains("X-Probe: kubelet", request);
    }

    [Fact]
    public async Task Http_AppThatNeverAnswers_FailsWithinTheTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var probe = new AppProbe("/app-health/a/livez", AppProbeKind.Http, "127.0.0.1", ((IPEndPoint)silent.LocalEndpoint).Port, TimeSpan.FromMilliseconds(300));
        var (healthy, detail) = await _endpoint.Check(probe, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(healthy);
        Assert.Contains("no answer within", detail);
    }

    [Fact]
    public async Task Tcp_ListeningPortIsHealthy_ClosedPortIsNot()
    {
        using var listening = new TcpListener(IPAddress.Loopback, 0);
        listening.Start();
        var port = ((IPEndPoint)listening.LocalEndpoint).Port;
        Assert.True((await _endpoint.Check(new AppProbe("/p", AppProbeKind.Tcp, "127.0.0.1", port, TimeSpan.FromSeconds(2)), CancellationToken.None)).Healthy);
        listening.Stop();
        Assert.False((await _endpoint.Check(new AppProbe("/p", AppProbeKind.Tcp, "127.0.0.1", port, TimeSpan.FromSeconds(2)), CancellationToken.None)).Healthy);
    }

    public void Dispose() => _endpoint.Dispose();

    /// <summary>Answers one request with a fixed status and keeps what it was sent.</summary>
    private sealed class RawHttpApp : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public RawHttpApp(int status)
        {
            _listener.Start();
            Request = Serve(status);
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public Task<string> Request { get; }

        private async Task<string> Serve(int status)
        {
            using var client = await _listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var head = await RawHttpRequest.ReadHead(stream);
            var location = status is >= 300 and < 400 ? "Location: http://elsewhere/\r\n" : "";
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\n{location}Content-Length: 0\r\nConnection: close\r\n\r\n"));
            return head;
        }

        public void Dispose() => _listener.Stop();
    }
}
