using System.Net;
using System.Net.Sockets;
using System.Text;
using Mesh.Sidecar.Health;
using Mesh.Sidecar.Hosting;

namespace Mesh.Sidecar.Tests.Health;

/// <summary><c>mesh-sidecar wait</c> against a health port on loopback that answers as told.</summary>
public sealed class WaitCommandLineTests
{
    [Fact]
    public async Task UntilReady_PollsThroughNotReady_AndReturnsOnThe200()
    {
        using var health = new ScriptedHealth(503, 503, 200);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.True(await WaitCommandLine.UntilReady(health.Url, TimeSpan.FromMilliseconds(10), patience.Token));
        Assert.Equal(3, health.Requests);
        Assert.All(health.Paths, path => Assert.Equal("/healthz/ready", path));
    }

    [Fact]
    public async Task UntilReady_NeverReady_ReturnsFalseWhenTheWaitEnds()
    {
        using var health = new ScriptedHealth(503);
        using var patience = new CancellationTokenSource();
        var waiting = WaitCommandLine.UntilReady(health.Url, TimeSpan.FromMilliseconds(10), patience.Token);

        // The wait ends once the sidecar has said "not ready" twice, however slow a loaded machine makes the polls.
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (health.Requests < 2 && !waiting.IsCompleted) await Task.Delay(10, limit.Token);
        Assert.False(waiting.IsCompleted, "the wait ended by itself while the sidecar was not ready");
        await patience.CancelAsync();
        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task UntilReady_NothingListening_IsNotReady()
    {
        // Port 1 (tcpmux) is served by nothing here: every poll is refused, unlike a freed ephemeral port someone may take.
        using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Assert.False(await WaitCommandLine.UntilReady(new Uri("http://127.0.0.1:1/healthz/ready"), TimeSpan.FromMilliseconds(10), patience.Token));
    }

    [Theory]
    [InlineData("wait", null, "http://127.0.0.1:15021/healthz/ready")]
    [InlineData("wait --health-port 15030", "10.1.2.3", "http://10.1.2.3:15030/healthz/ready")]
    [InlineData("wait", "0.0.0.0", "http://127.0.0.1:15021/healthz/ready")]
    [InlineData("wait --address fd00::5", null, "http://[fd00::5]:15021/healthz/ready")]
    public void Parse_AddressFromMeshAddress_LikeTheSidecar(string arguments, string? meshAddress, string url)
    {
        var (parsed, timeout, errors) = WaitCommandLine.Parse(SidecarCommandLine.Command.Parse(arguments.Split(' ')), name => name == "MESH_ADDRESS" ? meshAddress : null);
        Assert.Empty(errors);
        Assert.Equal(url, parsed!.ToString());
        Assert.Equal(TimeSpan.FromSeconds(60), timeout);
    }

    [Theory]
    [InlineData("wait --health-port 0", "--health-port: \"0\" is not a port (1-65535)")]
    [InlineData("wait --address pod", "--address: \"pod\" is not an IP address")]
    [InlineData("wait --timeout soon", "--timeout: \"soon\" is not a duration such as 60s or 2m")]
    public void Parse_BadFlag_IsNamed(string arguments, string error)
    {
        var (parsed, _, errors) = WaitCommandLine.Parse(SidecarCommandLine.Command.Parse(arguments.Split(' ')), _ => null);
        Assert.Null(parsed);
        Assert.Equal(error, Assert.Single(errors));
    }

    /// <summary>Answers each request with the next status of its script (the last one from then on).</summary>
    private sealed class ScriptedHealth : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly int[] _statuses;
        private readonly List<string> _paths = [];

        public ScriptedHealth(params int[] statuses)
        {
            _statuses = statuses;
            _listener.Start();
            _ = Serve();
        }

        public Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/healthz/ready");

        public int Requests
        {
            get { lock (_paths) return _paths.Count; }
        }

        public IReadOnlyList<string> Paths
        {
            get { lock (_paths) return [.. _paths]; }
        }

        private async Task Serve()
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync();
                    var stream = client.GetStream();
                    var head = await RawHttpRequest.ReadHead(stream);
                    int status;
                    lock (_paths)
                    {
                        _paths.Add(head.Split(' ') is [_, var path, ..] ? path : "");
                        status = _statuses[Math.Min(_paths.Count - 1, _statuses.Length - 1)];
                    }
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
                }
            }
            catch (Exception stopped) when (stopped is SocketException or ObjectDisposedException or IOException)
            {
            }
        }

        public void Dispose() => _listener.Stop();
    }
}
