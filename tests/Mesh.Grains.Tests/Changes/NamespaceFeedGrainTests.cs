using Mesh.Grains.Changes;
using Mesh.Grains.Config;

namespace Mesh.Grains.Tests.Changes;

[Collection(MeshClusterCollection.Name)]
public sealed class NamespaceFeedGrainTests(MeshCluster mesh)
{
    private readonly string _namespace = $"ns-{Guid.NewGuid():N}";

    [Fact]
    public async Task Subscriber_ReceivesChangePublishedByApply()
    {
        var observer = new RecordingObserver(count: 1);
        var reference = mesh.Grains.CreateObjectReference<IConfigChangeObserver>(observer);
        var feed = mesh.Grains.GetGrain<INamespaceFeedGrain>(_namespace);
        await feed.Subscribe(reference).Within();

        await Config("reviews").Apply(Write("""{"host":"a"}""")).Within();

        var change = Assert.Single(await observer.Received.Within());
        Assert.Equal((ChangeType.Added, "DestinationRule", _namespace, "reviews", 1L),
            (change.Type, change.Kind, change.Namespace, change.Name, change.ResourceVersion));
        mesh.Grains.DeleteObjectReference<IConfigChangeObserver>(reference);
    }

    [Fact]
    public async Task Subscriber_ReceivesModificationAndDeletionInOrder()
    {
        var observer = new RecordingObserver(count: 3);
        var reference = mesh.Grains.CreateObjectReference<IConfigChangeObserver>(observer);
        await mesh.Grains.GetGrain<INamespaceFeedGrain>(_namespace).Subscribe(reference).Within();

        await Config("reviews").Apply(Write("""{"host":"a"}""")).Within();
        await Config("reviews").Apply(Write("""{"host":"b"}""")).Within();
        await Config("reviews").Delete(null, dryRun: false).Within();

        var changes = await observer.Received.Within();
        Assert.Equal([ChangeType.Added, ChangeType.Modified, ChangeType.Deleted], changes.Select(c => c.Type));
        Assert.Equal([1L, 2L, 3L], changes.Select(c => c.ResourceVersion));
        mesh.Grains.DeleteObjectReference<IConfigChangeObserver>(reference);
    }

    [Fact]
    public async Task Unsubscribed_ReceivesNothing()
    {
        var observer = new RecordingObserver(count: 1);
        var reference = mesh.Grains.CreateObjectReference<IConfigChangeObserver>(observer);
        var feed = mesh.Grains.GetGrain<INamespaceFeedGrain>(_namespace);
        await feed.Subscribe(reference).Within();
        await feed.Unsubscribe(reference).Within();

        await Config("reviews").Apply(Write("""{"host":"a"}""")).Within();

        // A second subscriber that does get the change shows it was published, without a blind sleep.
        var witness = new RecordingObserver(count: 1);
        var witnessReference = mesh.Grains.CreateObjectReference<IConfigChangeObserver>(witness);
        await feed.Subscribe(witnessReference).Within();
        await Config("reviews").Apply(Write("""{"host":"b"}""")).Within();
        await witness.Received.Within();
        Assert.False(observer.Received.IsCompleted);
        mesh.Grains.DeleteObjectReference<IConfigChangeObserver>(reference);
        mesh.Grains.DeleteObjectReference<IConfigChangeObserver>(witnessReference);
    }

    [Fact]
    public async Task Subscribe_SameActivation_SameEpoch()
    {
        var reference = mesh.Grains.CreateObjectReference<IConfigChangeObserver>(new RecordingObserver(count: 1));
        var feed = mesh.Grains.GetGrain<INamespaceFeedGrain>(_namespace);

        var first = await feed.Subscribe(reference).Within();
        var renewed = await feed.Subscribe(reference).Within();

        Assert.Equal(first.Epoch, renewed.Epoch);
        Assert.True(first.Expiry > TimeSpan.Zero);
        mesh.Grains.DeleteObjectReference<IConfigChangeObserver>(reference);
    }

    private IConfigGrain Config(string name) => mesh.Grains.GetGrain<IConfigGrain>($"DestinationRule/{_namespace}/{name}");

    private static ConfigWrite Write(string specJson) => new() { ApiVersion = "networking.istio.io/v1", SpecJson = specJson };

    private sealed class RecordingObserver(int count) : IConfigChangeObserver
    {
        private readonly List<ConfigChange> _changes = [];
        private readonly TaskCompletionSource<IReadOnlyList<ConfigChange>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once <c>count</c> changes have arrived.</summary>
        public Task<IReadOnlyList<ConfigChange>> Received => _done.Task;

        public Task OnChanged(ConfigChange change)
        {
            lock (_changes)
            {
                _changes.Add(change);
                if (_changes.Count == count) _done.TrySetResult([.. _changes]);
            }
            return Task.CompletedTask;
        }
    }
}
