using k8s;
using k8s.Models;
using Mesh.Kubernetes.Registry;
using static Mesh.Kubernetes.Tests.Registry.KubeObjects;
using static Mesh.Kubernetes.Tests.Registry.Rendering;

namespace Mesh.Kubernetes.Tests.Registry;

/// <summary>Events arrive in any order; the registry must not care.</summary>
public class EventOrderTests
{
    private static IKubernetesObject<V1ObjectMeta>[] Objects() =>
    [
        Service("reviews"),
        Slice("reviews-1", "reviews", [Endpoint("10.1.0.5", "reviews-v1", node: "node-1"), Endpoint("10.1.0.6", "reviews-v2", node: "node-1")]),
        Pod("reviews-v1", new() { ["app"] = "reviews", ["version"] = "v1" }),
        Pod("reviews-v2", new() { ["app"] = "reviews", ["version"] = "v2" }),
        Node("node-1", "us-east1", "us-east1-b"),
    ];

    [Fact]
    public void EveryOrder_GivesTheSameRegistry_AndHoldsBackOnlyWhatLacksItsPod()
    {
        var objects = Objects();
        var expected = Render(RegistryMapping.Map(ClusterSnapshot.Of(objects)));
        Assert.Contains("reviews-10-1-0-6", expected);
        Assert.DoesNotContain("pending", expected);

        var orders = 0;
        foreach (var order in Permutations(Enumerable.Range(0, objects.Length).ToList()))
        {
            var snapshot = ClusterSnapshot.Empty;
            foreach (var i in order)
            {
                snapshot = snapshot.With(objects[i]);
                var partial = RegistryMapping.Map(snapshot);
                var hasSlice = snapshot.Services.Count > 0 && snapshot.EndpointSlices.Count > 0;
                // Each of the slice's endpoints is written exactly when its pod is there, and pending otherwise.
                Assert.Equal(hasSlice ? 2 : 0, partial.Pending.Count() + partial.Services.Sum(s => s.Endpoints.Count));
                Assert.All(partial.Pending, p => Assert.DoesNotContain(p.Pod, snapshot.Pods.Keys));
            }
            Assert.Equal(expected, Render(RegistryMapping.Map(snapshot)));
            orders++;
        }
        Assert.Equal(120, orders);
    }

    [Fact]
    public void DeletingAPod_HoldsItsEndpointBack_AndAnUpdateReplacesTheOldVersion()
    {
        var full = ClusterSnapshot.Of(Objects());
        var withoutPod = RegistryMapping.Map(full.Without(Pod("reviews-v2")));
        Assert.Equal(["bookinfo/reviews-v2"], withoutPod.Pending.Select(p => p.Pod));

        var relabelled = RegistryMapping.Map(full.With(Pod("reviews-v2", new() { ["app"] = "reviews", ["version"] = "v3" })));
        Assert.Contains("\"version\":\"v3\"", Spec(relabelled, "WorkloadEntry/bookinfo/reviews-10-1-0-6"));

        var withoutService = RegistryMapping.Map(full.Without(Service("reviews")));
        Assert.Empty(withoutService.Resources);
    }

    [Fact]
    public void AnObjectTheRegistryDoesNotRead_IsRefused() =>
        Assert.Throws<ArgumentException>(() => ClusterSnapshot.Empty.With(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }));

    private static IEnumerable<List<int>> Permutations(List<int> items)
    {
        if (items.Count <= 1)
        {
            yield return items;
            yield break;
        }
        foreach (var first in items)
        {
            foreach (var rest in Permutations([.. items.Where(i => i != first)]))
            {
                yield return [first, .. rest];
            }
        }
    }
}
