using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;
using Mesh.Integration.Tests.Sidecar;
using Xunit.Abstractions;

namespace Mesh.Integration.Tests.Cluster;

/// <summary>Issue 11: the silo that held a namespace's change feed is SIGKILLed; a policy applied afterwards still
/// reaches the sidecar served by a survivor. Periodic renewal is set to ten minutes here, so only the renewal on a
/// silo's death can bring the change within the bound (before it, the policy subscription was not renewed then).</summary>
public sealed class PolicyFailoverTests(ITestOutputHelper output) : IDisposable
{
    private readonly RedisCluster _cluster = new();
    private readonly WorkDir _dir = new("policy-failover");
    private readonly List<IDisposable> _processes = [];

    [Fact]
    public async Task SiloHoldingTheFeedIsKilled_APolicyAppliedAfterwardsReachesTheSidecar()
    {
        await _cluster.Redis.Start();
        await _cluster.StartSilos(1, new Dictionary<string, string> { ["Mesh__Xds__SubscriptionExpiry"] = "00:30:00" });
        var holder = _cluster.Silos[0];
        // Alone in the cluster, the first silo activates every grain this apply touches, namespace shop's feed among them.
        await holder.Client.ApplyAsync(new ApplyRequest { Manifest = PlainMesh.Service("web", PlainMesh.Host) });
        await _cluster.AddSilos(1);
        var serving = _cluster.Silos[1];
        var backend = Own(new TestBackend(_dir.Path, "web", "v1"));
        await backend.WaitReady();
        var web = Own(new SidecarProcess(_dir.Path, "web", serving.XdsPort, "shop", new Dictionary<string, string> { ["app"] = "web" }, backend.Port));
        await web.WaitReady();
        await Timeouts.Until(async () => (await Admin(web)).Status == 200, TimeSpan.FromSeconds(30), "web serving /admin before any policy");

        holder.Kill();
        output.WriteLine("killed the silo holding the feed");
        await Timeouts.Until(async () =>
        {
            await serving.Client.ApplyAsync(new ApplyRequest { Manifest = PlainMesh.DenyAdmin });
            return true;
        }, TimeSpan.FromSeconds(20), "the DENY applied on the survivor");

        try
        {
            await Timeouts.Until(async () => (await Admin(web)).Status == 403, TimeSpan.FromSeconds(15), "the DENY reaching web's sidecar");
        }
        catch (TimeoutException)
        {
            output.WriteLine(serving.Process.Log());
            throw;
        }
        Assert.Equal(200, (await Curl.Get($"http://127.0.0.1:{web.InboundPort}/public")).Status);
    }

    /// <summary>A request straight to web's inbound port, as a caller without a sidecar sends it.</summary>
    private static Task<Curl.Reply> Admin(SidecarProcess web) => Curl.Get($"http://127.0.0.1:{web.InboundPort}/admin");

    private T Own<T>(T process) where T : IDisposable
    {
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in Enumerable.Reverse(_processes)) process.Dispose();
        _cluster.Dispose();
        _dir.Dispose();
    }
}
