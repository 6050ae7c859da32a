using Mesh.Api.V1;
using Mesh.Integration.Tests.Cluster;
using Mesh.Integration.Tests.Infrastructure;
using Mesh.Kubernetes.Fake;

namespace Mesh.Integration.Tests.Kubernetes;

/// <summary>Three silos on Redis read one (fake) API server: one watches at a time, and when it is SIGKILLed another
/// takes over and what changed meanwhile arrives.</summary>
public sealed class SourceFailoverTests : IAsyncLifetime, IDisposable
{
    private readonly RedisCluster _cluster = new();
    private readonly FakeApiServerOptions _options = new();
    private FakeApiServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeApiServer.Start(_options);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task TheWatchingSiloKilled_AnotherTakesOver_AndAChangeMadeMeanwhileArrives()
    {
        await _cluster.Redis.Start();
        await _cluster.StartSilos(3, new Dictionary<string, string> { ["Mesh__Kubernetes__ApiUrl"] = _server.Url.ToString() });
        await Store("ratings");
        await Timeouts.Until(() => Task.FromResult(_server.OpenWatchesOn("services") == 1), TimeSpan.FromSeconds(30), "one silo watching");
        await Timeouts.Until(async () => (await Stored(_cluster.Silos[0])).Contains("ratings"), TimeSpan.FromSeconds(30), "ratings stored");
        // One watcher for three silos, not three.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(1, _server.OpenWatchesOn("services"));
        Assert.Equal(1, _server.Requests["list", "services"]);

        var leader = _cluster.Silos.Single(s => s.Process.Log().Contains("leads now", StringComparison.Ordinal));
        leader.Kill();
        await Store("reviews");
        var survivor = _cluster.Silos.First(s => s != leader);
        await Timeouts.Until(async () => (await Stored(survivor)).Contains("reviews"), TimeSpan.FromSeconds(20), "the change made while the leader was dead stored");
        Assert.Single(_cluster.Silos.Where(s => s != leader), s => s.Process.Log().Contains("leads now", StringComparison.Ordinal));
        await Timeouts.Until(() => Task.FromResult(_server.OpenWatchesOn("services") == 1), TimeSpan.FromSeconds(10), "one silo watching again");
    }

    private Task Store(string name) => Task.Run(() => _server.Store.Create(
        _options.Types.Find("", "v1", "services")!,
        System.Text.Json.Nodes.JsonNode.Parse($$$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}","namespace":"default"},"spec":{"clusterIP":"10.96.0.{{{name.Length}}}","ports":[{"name":"http","port":9080}]}}""")!.AsObject()));

    private static async Task<IReadOnlyList<string>> Stored(SiloProcess silo) =>
        [.. (await silo.Client.ListAsync(new ListRequest { Kind = "ServiceEntry", Namespace = "default" })).Items.Select(i => i.Metadata.Name)];
}
