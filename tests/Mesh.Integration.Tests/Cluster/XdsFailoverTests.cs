using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;
using Mesh.Integration.Tests.Xds;
using Xunit.Abstractions;

namespace Mesh.Integration.Tests.Cluster;

/// <summary>Both real xDS clients on a 3-silo cluster: the silo they are connected to is SIGKILLed while they
/// call without pause; not one call fails, they reconnect to a survivor, and follow the next change from it.</summary>
public sealed class XdsFailoverTests(ITestOutputHelper output) : IDisposable
{
    private readonly RedisCluster _cluster = new();
    private readonly WorkDir _dir = new("failover");
    private readonly List<IDisposable> _processes = [];

    [Fact]
    public async Task SiloTheClientsUseIsKilled_NotOneCallFails_AndTheyFollowTheNextChange()
    {
        await _cluster.Redis.Start();
        await _cluster.StartSilos(3);
        var silos = _cluster.Silos;
        var backends = new Dictionary<string, int>();
        foreach (var version in new[] { "v1", "v2", "v3" })
        {
            var backend = await BackendProcess.StartAsync(version, _dir.Path);
            _processes.Add(backend);
            backends[version] = backend.Port;
        }
        await silos[1].Client.ApplyAsync(new ApplyRequest { Manifest = XdsMesh.Manifest(backends) });

        // One address for the control plane, as a Kubernetes Service gives: connections land on the first silo
        // that accepts them, silo 0 while it lives.
        using var service = new TcpForwarder([.. silos.Select(s => s.XdsPort)]);
        var clients = new List<XdsClientProcess>();
        foreach (var kind in new[] { XdsClientKind.GrpcJs, XdsClientKind.CCore })
        {
            var client = await XdsClientProcess.StartAsync(kind, XdsBootstrap.ForPorts(service.Port), _dir.Path);
            _processes.Add(client);
            clients.Add(client);
            var warm = await client.CallsAsync(200);
            Assert.True(warm.Failed == 0 && warm.Share("v2") is > 0.1 and < 0.3, $"{kind} before: {warm}");
        }
        var status = await silos[1].Client.ProxyStatusAsync(new ProxyStatusRequest());
        Assert.All(status.Proxies, p => Assert.Equal(silos[0].SiloPort, SiloPort(p.Silo)));

        foreach (var client in clients) await client.StartCallingAsync();
        silos[0].Kill();
        output.WriteLine("killed silo 0");
        await Task.Delay(3000);
        await silos[1].Client.ApplyAsync(new ApplyRequest { Manifest = XdsMesh.VirtualService(50, 50) });
        await Task.Delay(3000);
        foreach (var client in clients)
        {
            var during = await client.StopCallingAsync();
            output.WriteLine($"{client.Kind} during the kill: {during}");
            Assert.True(during.Failed == 0, $"{client.Kind}: {during}");
            Assert.True(during.Succeeded > 200, $"{client.Kind}: too few calls to mean anything: {during}");
            var followed = await client.UntilAsync("v2", minShare: 0.4, timeout: TimeSpan.FromSeconds(15), window: 200);
            output.WriteLine($"{client.Kind} after: {followed}");
            if (!followed.Reached)
            {
                var proxies = await silos[1].Client.ProxyStatusAsync(new ProxyStatusRequest());
                foreach (var proxy in proxies.Proxies)
                {
                    output.WriteLine((await silos[1].Client.ProxyConfigAsync(new ProxyConfigRequest { NodeId = proxy.NodeId })).Json);
                }
                output.WriteLine(client.Log());
            }
            Assert.True(followed.Reached, $"{client.Kind} did not follow the change made after the kill: {followed}");
        }
        ProxyStatusResponse? last = null;
        try
        {
            await Timeouts.Until(async () =>
            {
                last = await silos[2].Client.ProxyStatusAsync(new ProxyStatusRequest());
                return last.Proxies.Count == 2 && last.Proxies.All(p => SiloPort(p.Silo) != silos[0].SiloPort && p.Types_.All(t => t.Sync == "SYNCED"));
            }, TimeSpan.FromSeconds(20), "proxy-status showing both clients SYNCED on survivors");
        }
        catch (TimeoutException)
        {
            output.WriteLine($"silo 0 port {silos[0].SiloPort}; last status: {last}");
            throw;
        }
    }

    /// <summary>Orleans writes silo addresses as <c>S127.0.0.1:11111:123456</c>.</summary>
    private static int SiloPort(string silo) => int.Parse(silo.Split(':')[1]);

    public void Dispose()
    {
        foreach (var process in _processes) process.Dispose();
        _cluster.Dispose();
        _dir.Dispose();
    }
}
