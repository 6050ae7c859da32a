using Mesh.Grains.Proxies;

namespace Mesh.Grains.Tests.Proxies;

[Collection(MeshClusterCollection.Name)]
public sealed class ProxyGrainTests(MeshCluster mesh)
{
    private static readonly DateTimeOffset Connected = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    private static ProxyStatus Status(string node, DateTimeOffset updated, string version) => new()
    {
        NodeId = node, Silo = "silo-1", ConnectedAt = Connected, UpdatedAt = updated,
        Types = [new TypeStatus { TypeUrl = "type.googleapis.com/envoy.config.listener.v3.Listener", SentVersion = version, SentNonce = "1" }],
    };

    [Fact]
    public async Task AReportOfTheSameStreamArrivingLate_DoesNotReplaceTheNewerOne()
    {
        var node = $"sidecar~{Guid.NewGuid():N}";
        var grain = mesh.Grains.GetGrain<IProxyGrain>(node);

        await grain.Report(Status(node, Connected.AddSeconds(2), "v2"));
        await grain.Report(Status(node, Connected.AddSeconds(1), "v1"));

        Assert.Equal("v2", (await grain.Get())!.Types[0].SentVersion);
    }

    [Fact]
    public async Task AReport_RegistersTheNodeInItsDirectoryBucket()
    {
        var node = $"sidecar~{Guid.NewGuid():N}";

        await mesh.Grains.GetGrain<IProxyGrain>(node).Report(Status(node, Connected, "v1"));

        Assert.Contains(node, await mesh.Grains.GetGrain<IProxyDirectoryGrain>(ProxyDirectory.BucketOf(node)).NodeIds());
    }
}
