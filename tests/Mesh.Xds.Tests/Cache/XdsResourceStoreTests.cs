using Envoy.Config.Cluster.V3;
using Mesh.Xds.Cache;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Tests.Cache;

public sealed class XdsResourceStoreTests
{
    private static readonly (string, string) A = (TypeUrls.Cluster, "a");
    private static readonly (string, string) B = (TypeUrls.Cluster, "b");
    private static readonly ChangeOrigin Now = new(DateTimeOffset.UtcNow, null);

    private static XdsResource Cluster(string name, string content) =>
        XdsResource.Of(TypeUrls.Cluster, name, new Cluster { Name = name, AltStatName = content });

    private sealed class Watcher : IXdsWatcher
    {
        public List<IReadOnlyList<XdsResourceKey>> Told { get; } = [];

        public void OnResourcesChanged(IReadOnlyList<XdsResourceKey> changed, ChangeOrigin origin) => Told.Add(changed);
    }

    [Fact]
    public void Get_TranslatesOncePerInput()
    {
        var store = new XdsResourceStore();
        var translations = 0;
        XdsResource? Translate() { translations++; return Cluster("a", "x"); }

        var first = store.Get(A, "input-1", Translate);
        var again = store.Get(A, "input-1", Translate);
        store.Get(A, "input-2", Translate);

        Assert.Same(first, again);
        Assert.Equal(2, translations);
    }

    [Fact]
    public void Update_WithTheSameContent_KeepsTheVersion_AndTellsNoWatcher()
    {
        var store = new XdsResourceStore();
        var watcher = new Watcher();
        store.Watch(watcher, A.Item1, A.Item2);
        var before = store.Get(A, "input-1", () => Cluster("a", "x"))!;

        var changed = store.Update([new(A, "input-2", Cluster("a", "x"))], Now);

        Assert.Empty(changed);
        Assert.Empty(watcher.Told);
        Assert.Equal(before.Version, store.Get(A, "input-2", () => null)!.Version);
    }

    [Fact]
    public void Update_WithNewContent_TellsTheWatchersOfThatResourceOnly_InTheOrderGiven()
    {
        var store = new XdsResourceStore();
        var both = new Watcher();
        var onlyB = new Watcher();
        var gone = new Watcher();
        store.Watch(both, A.Item1, A.Item2);
        store.Watch(both, B.Item1, B.Item2);
        store.Watch(onlyB, B.Item1, B.Item2);
        store.Watch(gone, A.Item1, A.Item2);
        store.Unwatch(gone, A.Item1, A.Item2);
        store.Get(A, 1, () => Cluster("a", "x"));
        store.Get(B, 1, () => Cluster("b", "x"));

        var changed = store.Update([new(B, 2, Cluster("b", "y")), new(A, 2, Cluster("a", "y"))], Now);

        Assert.Equal([B, A], changed);
        Assert.Equal([B, A], Assert.Single(both.Told));
        Assert.Equal([B], Assert.Single(onlyB.Told));
        Assert.Empty(gone.Told);
    }

    [Fact]
    public void Update_OfAnInputAGetAlreadyTranslated_StillTellsTheWatchers()
    {
        // A proxy that connects while a change is being translated asks for the new input before the update arrives;
        // the proxies already watching still hold the old version.
        var store = new XdsResourceStore();
        var watcher = new Watcher();
        store.Watch(watcher, A.Item1, A.Item2);
        store.Get(A, "old", () => Cluster("a", "x"));
        store.Get(A, "new", () => Cluster("a", "y"));

        var changed = store.Update([new(A, "new", Cluster("a", "y"))], Now);

        Assert.Equal([A], changed);
        Assert.Equal([A], Assert.Single(watcher.Told));
    }

    [Fact]
    public void Update_OfAResourceThatWentAway_IsAChange()
    {
        var store = new XdsResourceStore();
        var watcher = new Watcher();
        store.Watch(watcher, A.Item1, A.Item2);
        store.Get(A, 1, () => Cluster("a", "x"));

        store.Update([new(A, 2, null)], Now);

        Assert.Equal([A], Assert.Single(watcher.Told));
        Assert.Null(store.Get(A, 2, () => Cluster("a", "again")));
    }

    [Fact]
    public void Update_TranslatedFromAReplacedInput_IsDropped()
    {
        var store = new XdsResourceStore();
        var watcher = new Watcher();
        store.Watch(watcher, A.Item1, A.Item2);
        store.Get(A, "old", () => Cluster("a", "x"));
        store.Update([new(A, "new", Cluster("a", "new"))], Now);

        var changed = store.Update([new(A, "old", Cluster("a", "late"), Replaces: "old")], Now);

        Assert.Empty(changed);
        Assert.Equal(Cluster("a", "new").Version, store.Get(A, "new", () => null)!.Version);
    }

    [Fact]
    public void Update_OfTheSameInput_ReplacesWhatWasTranslatedFromIt()
    {
        var store = new XdsResourceStore();
        store.Get(A, "model", () => Cluster("a", "x"));

        var changed = store.Update([new(A, "model", Cluster("a", "policy changed"), Replaces: "model")], Now);

        Assert.Equal([A], changed);
        Assert.Equal(Cluster("a", "policy changed").Version, store.Get(A, "model", () => null)!.Version);
    }
}
