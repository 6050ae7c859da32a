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

    [Fact]
    public async Task AChangedAnswer_IsPublishedOnTheFeedOfItsBucket_AHeartbeatIsNot()
    {
        var node = $"sidecar~{Guid.NewGuid():N}";
        var observer = new FeedObserver();
        var reference = mesh.Grains.CreateObjectReference<IProxyChangeObserver>(observer);
        await mesh.Grains.GetGrain<IProxyFeedGrain>(ProxyDirectory.FeedKey(node)).Subscribe(reference).Within();
        var grain = mesh.Grains.GetGrain<IProxyGrain>(node);
        var sent = Status(node, Connected.AddSeconds(1), "v1");

        await grain.Report(sent).Within();
        await observer.Next(node).Within();
        // The same answers, reported again later (a heartbeat): nothing to tell.
        await grain.Report(sent with { UpdatedAt = Connected.AddSeconds(31) }).Within();
        var nacked = sent with { UpdatedAt = Connected.AddSeconds(32), Types = [sent.Types[0] with { NackedNonce = "1", NackError = "bad" }] };
        await grain.Report(nacked).Within();
        await observer.Next(node).Within();
        await grain.Disconnected("silo-1", Connected).Within();
        await observer.Next(node).Within();

        // Had the heartbeat been told, a fourth would be here by now (sent before the last one, by the same grain).
        await Task.Delay(300);
        Assert.Equal(3, observer.Count);
        mesh.Grains.DeleteObjectReference<IProxyChangeObserver>(reference);
    }

    private sealed class FeedObserver : IProxyChangeObserver
    {
        private readonly System.Threading.Channels.Channel<string> _received = System.Threading.Channels.Channel.CreateUnbounded<string>();

        public int Count { get; private set; }

        public Task OnProxyChanged(string nodeId)
        {
            Count++;
            _received.Writer.TryWrite(nodeId);
            return Task.CompletedTask;
        }

        public async Task Next(string expected) => Assert.Equal(expected, await _received.Reader.ReadAsync());
    }
}
