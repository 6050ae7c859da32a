using Mesh.Grains.Changes;
using Mesh.Grains.Services;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging.Abstractions;
using static Mesh.Grains.Tests.Subscriptions.TestSubscribers;

namespace Mesh.Grains.Tests.Subscriptions;

[Collection(MeshClusterCollection.Name)]
public sealed class SubscriptionRegistryTests(MeshCluster mesh)
{
    private readonly string _id = Guid.NewGuid().ToString("N");

    [Fact]
    public async Task RenewAll_AfterASiloDied_RenewsEverySubscriptionOfEveryObserver()
    {
        var registry = new SubscriptionRegistry(mesh.Grains, NullLoggerFactory.Instance);
        var feedResyncs = new Resyncs();
        var serviceResyncs = new Resyncs();
        await using var feeds = registry.Add<INamespaceFeedGrain, IConfigChangeObserver>(new ChangeRecorder(), Hourly(feedResyncs));
        await using var services = registry.Add<IServiceGrain, IServiceObserver>(new ModelRecorder(), Hourly(serviceResyncs));
        var host = $"reviews-{_id}.shop.svc.cluster.local";
        await feeds.Open($"ns-{_id}", () => Task.FromResult(0)).Within();
        await services.Open(host, () => Task.FromResult(0)).Within();

        // As when the silo holding both grains died: they come back elsewhere without subscribers.
        await Forget(mesh.Grains.GetGrain<INamespaceFeedGrain>($"ns-{_id}"));
        await Forget(mesh.Grains.GetGrain<IServiceGrain>(host));
        registry.RenewAll();

        Assert.Equal($"ns-{_id}", await feedResyncs.Next());
        Assert.Equal(host, await serviceResyncs.Next());
    }
}
