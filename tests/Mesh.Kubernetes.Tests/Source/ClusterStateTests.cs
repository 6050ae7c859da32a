using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Kubernetes.Source;

namespace Mesh.Kubernetes.Tests.Source;

/// <summary>What the watches hold, as the config it stands for: registry objects through the registry mapping, Mesh
/// kinds through Mesh's validator, and nothing complete before every kind is listed.</summary>
public sealed class ClusterStateTests
{
    private static readonly ApiResource VirtualServices = new("networking.istio.io", "v1", "virtualservices");

    private const string Routed = """{"hosts":["reviews"],"http":[{"route":[{"destination":{"host":"reviews"}}]}]}""";

    private int _changes;

    private ClusterState State() => new(new Dictionary<ApiResource, ResourceKind> { [VirtualServices] = ResourceKinds.VirtualService },
        [.. SourceKinds.Registry, VirtualServices], () => _changes++);

    [Fact]
    public async Task IsComplete_OnlyOnceEveryWatchedKindHasBeenListed()
    {
        var state = State();
        foreach (var resource in SourceKinds.Registry) await state.Synced(resource, "1", default);
        Assert.False(state.IsComplete);
        await state.Synced(VirtualServices, "1", default);
        Assert.True(state.IsComplete);
        Assert.True(state.Take().Relisted);
        Assert.False(state.Take().Relisted);
    }

    [Fact]
    public async Task Desired_HoldsTheRegistrysResourcesAndTheAcceptedMeshObjects()
    {
        var state = State();
        await state.Upserted(SourceKinds.Services, Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"reviews","namespace":"shop","resourceVersion":"2"},"spec":{"clusterIP":"10.96.0.9","ports":[{"name":"http","port":9080}]}}"""), default);
        await state.Upserted(VirtualServices, Vs("reviews", Routed), default);
        await state.Upserted(VirtualServices, Vs("broken", """{"hosts":["reviews"],"notAField":1}"""), default);

        var (desired, problems, kept) = state.Desired();
        Assert.Equal(["ServiceEntry/shop/reviews", "VirtualService/shop/reviews"], desired.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(problems);
        Assert.Equal(["VirtualService/shop/broken"], kept);
        Assert.Equal("kubernetes", desired["VirtualService/shop/reviews"].Metadata.Annotations["mesh.io/source"]);
        Assert.Equal(3, _changes);

        var reports = state.Take().Changes.Select(c => c.Observed!).ToList();
        Assert.True(reports.Single(r => r.Name == "reviews").Accepted);
        var refused = reports.Single(r => r.Name == "broken");
        Assert.Contains(refused.Problems, p => p.Path.Contains("notAField", StringComparison.Ordinal));
        Assert.Equal(4, refused.Generation);
    }

    [Fact]
    public async Task ARefusedEdit_IsKept_UntilTheObjectIsValidAgainOrDeleted()
    {
        var state = State();
        await state.Upserted(VirtualServices, Vs("reviews", Routed), default);
        await state.Upserted(VirtualServices, Vs("reviews", """{"hosts":["reviews"],"notAField":1}"""), default);
        Assert.DoesNotContain("VirtualService/shop/reviews", state.Desired().Resources.Keys);
        Assert.Equal(["VirtualService/shop/reviews"], state.Desired().Kept);

        await state.Upserted(VirtualServices, Vs("reviews", Routed), default);
        Assert.Empty(state.Desired().Kept);
        await state.Upserted(VirtualServices, Vs("reviews", """{"hosts":["reviews"],"notAField":1}"""), default);
        await state.Deleted(VirtualServices, Vs("reviews", Routed), default);
        Assert.Empty(state.Desired().Kept);
    }

    [Fact]
    public async Task Deleted_TakesTheObjectOutAndIsReportedAsRemoved()
    {
        var state = State();
        var vs = Vs("reviews", Routed);
        await state.Upserted(VirtualServices, vs, default);
        state.Take();
        await state.Deleted(VirtualServices, vs, default);

        Assert.Empty(state.Desired().Resources);
        var removed = Assert.Single(state.Take().Changes).Removed;
        Assert.Equal((ResourceKinds.VirtualService, "shop", "reviews"), removed);
    }

    [Fact]
    public void Document_KeepsTheObjectsShape_WithoutKubectlsCopy_AndMarksItsSource()
    {
        var obj = Vs("reviews", Routed);
        obj["metadata"]!["annotations"] = new JsonObject { ["kubectl.kubernetes.io/last-applied-configuration"] = "{...}", ["team"] = "a" };
        obj["metadata"]!["labels"] = new JsonObject { ["app"] = "reviews" };

        var document = SourcedDocuments.Document(ResourceKinds.VirtualService, obj);
        Assert.Equal(
            """{"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"reviews","annotations":{"team":"a","mesh.io/source":"kubernetes"},"namespace":"shop","labels":{"app":"reviews"}},"spec":{"hosts":["reviews"],"http":[{"route":[{"destination":{"host":"reviews"}}]}]}}""",
            document.ToJsonString());
    }

    private static JsonObject Vs(string name, string spec) => Parse(
        $$"""{"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"{{name}}","namespace":"shop","generation":4,"resourceVersion":"7"},"spec":{{spec}}}""");

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
