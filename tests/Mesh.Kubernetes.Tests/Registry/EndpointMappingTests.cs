using k8s;
using k8s.Models;
using Mesh.Kubernetes.Registry;
using static Mesh.Kubernetes.Tests.Registry.KubeObjects;
using static Mesh.Kubernetes.Tests.Registry.Rendering;

namespace Mesh.Kubernetes.Tests.Registry;

public class EndpointMappingTests
{
    private static readonly Dictionary<string, string> V1Labels = new() { ["app"] = "reviews", ["version"] = "v1" };

    [Fact]
    public void ReadyEndpoint_IsAWorkloadEntryWithItsPodsLabelsIdentityAndLocality()
    {
        var registry = Map(
            Service("reviews"),
            Slice("reviews-abc", "reviews", [Endpoint("10.1.0.5", "reviews-v1-x", node: "node-1")]),
            Pod("reviews-v1-x", V1Labels, serviceAccount: "bookinfo-reviews"),
            Node("node-1", "us-east1", "us-east1-b"));

        var endpoint = Assert.Single(registry.Services.Single().Endpoints);
        Assert.Equal(EndpointHealth.Healthy, endpoint.Health);
        Assert.Equal("bookinfo/reviews-v1-x", endpoint.Pod);
        Assert.Equal("WorkloadEntry/bookinfo/reviews-10-1-0-5", endpoint.WorkloadEntry.Key);
        Assert.Equal(
            """{"address":"10.1.0.5","ports":{"http":9080},"labels":{"app":"reviews","mesh.io/kubernetes-service":"reviews","version":"v1"},"locality":"us-east1/us-east1-b","serviceAccount":"bookinfo-reviews"}""",
            endpoint.WorkloadEntry.Spec.ToJsonString());
        Assert.Equal("reviews", endpoint.WorkloadEntry.Metadata.Labels[RegistryNames.ServiceLabel]);
        Assert.Contains(endpoint.WorkloadEntry, registry.Resources);
        Assert.Empty(registry.Pending);
    }

    [Fact]
    public void PodWithoutServiceAccountName_RunsAsDefault()
    {
        var registry = Map(Service("reviews"), Slice("s", "reviews", [Endpoint("10.1.0.5", "p")]), Pod("p", serviceAccount: null));
        Assert.Contains("\"serviceAccount\":\"default\"", Spec(registry, "WorkloadEntry/bookinfo/reviews-10-1-0-5"));
    }

    [Fact]
    public void EndpointBeforeItsPod_IsPending_ThenWrittenWhenThePodArrives()
    {
        var before = ClusterSnapshot.Of([Service("reviews"), Slice("s", "reviews", [Endpoint("10.1.0.5", "reviews-v1-x")])]);

        var held = RegistryMapping.Map(before);
        Assert.Equal([new PendingEndpoint("bookinfo/reviews", "10.1.0.5", "bookinfo/reviews-v1-x")], held.Pending);
        Assert.Equal(["ServiceEntry/bookinfo/reviews"], held.Resources.Select(r => r.Key));

        var after = RegistryMapping.Map(before.With(Pod("reviews-v1-x", V1Labels)));
        Assert.Empty(after.Pending);
        Assert.Contains("\"version\":\"v1\"", Spec(after, "WorkloadEntry/bookinfo/reviews-10-1-0-5"));
    }

    [Fact]
    public void EndpointOfARecreatedPod_IsPendingWhileOnlyTheOldPodIsKnown()
    {
        var registry = Map(
            Service("db"),
            Slice("s", "db", [Endpoint("10.1.0.7", "db-0", podUid: "new-uid")]),
            Pod("db-0", uid: "old-uid"));
        Assert.Single(registry.Pending);
        Assert.Empty(registry.Services.Single().Endpoints);
    }

    [Fact]
    public void TerminatingButServingEndpoint_IsDraining_AndNotWritten()
    {
        var registry = Map(
            Service("reviews"),
            Slice("s", "reviews", [Endpoint("10.1.0.5", "a", ready: false, serving: true, terminating: true), Endpoint("10.1.0.6", "b")]),
            Pod("a"), Pod("b"));

        Assert.Equal(
            [("WorkloadEntry/bookinfo/reviews-10-1-0-5", EndpointHealth.Draining), ("WorkloadEntry/bookinfo/reviews-10-1-0-6", EndpointHealth.Healthy)],
            registry.Services.Single().Endpoints.Select(e => (e.WorkloadEntry.Key, e.Health)));
        Assert.DoesNotContain(registry.Resources, r => r.Key.EndsWith("10-1-0-5", StringComparison.Ordinal));
    }

    [Fact]
    public void PublishNotReadyAddresses_WritesNotReadyEndpoints()
    {
        var registry = Map(
            Service("peers", publishNotReady: true),
            Slice("s", "peers", [Endpoint("10.1.0.5", "a", ready: false)]),
            Pod("a"));
        Assert.Equal(EndpointHealth.Healthy, registry.Services.Single().Endpoints.Single().Health);
        Assert.Contains(registry.Resources, r => r.Key == "WorkloadEntry/bookinfo/peers-10-1-0-5");
    }

    [Fact]
    public void EndpointWithoutPod_IsWrittenWithoutIdentity()
    {
        var registry = Map(Service("legacy"), Slice("legacy-1", "legacy", [Endpoint("192.168.7.20")]));
        var endpoint = registry.Services.Single().Endpoints.Single();
        Assert.Null(endpoint.Pod);
        Assert.Equal("""{"address":"192.168.7.20","ports":{"http":9080},"labels":{"mesh.io/kubernetes-service":"legacy"}}""",
            endpoint.WorkloadEntry.Spec.ToJsonString());
    }

    [Fact]
    public void EndpointThatMakesAnInvalidWorkloadEntry_IsReportedWithTheField_AndTheOthersStay()
    {
        var registry = Map(
            Service("reviews"),
            Slice("reviews-1", "reviews", [Endpoint("10.1.0.5", "a"), Endpoint("10.1.0.6", "b")]),
            Pod("a", serviceAccount: "svc.account.with.dots"), Pod("b"));

        var problem = Assert.Single(registry.Problems);
        Assert.Equal("EndpointSlice bookinfo/reviews-1 (endpoint 10.1.0.5)", problem.Source);
        Assert.Equal("(WorkloadEntry bookinfo/reviews-10-1-0-5) spec.serviceAccount", problem.Error.Path);
        Assert.Equal(["WorkloadEntry/bookinfo/reviews-10-1-0-6"], registry.Services.Single().Endpoints.Select(e => e.WorkloadEntry.Key));
    }

    [Fact]
    public void EndpointInTwoSlices_IsOneWorkload_TheHealthyEntryWinning()
    {
        var registry = Map(
            Service("reviews"),
            Slice("reviews-a", "reviews", [Endpoint("10.1.0.5", "p", ready: false)]),
            Slice("reviews-b", "reviews", [Endpoint("10.1.0.5", "p")]),
            Pod("p"));
        Assert.Equal(EndpointHealth.Healthy, registry.Services.Single().Endpoints.Single().Health);
    }

    [Theory]
    [InlineData(new[] { "IPv4", "IPv6" }, "WorkloadEntry/bookinfo/reviews-10-1-0-5")]
    [InlineData(new[] { "IPv6", "IPv4" }, "WorkloadEntry/bookinfo/reviews-fd00-10-1--5")]
    public void DualStackPod_IsOneWorkloadOnTheServicesFirstFamily(string[] families, string expected)
    {
        var registry = Map(
            Service("reviews", clusterIps: families[0] == "IPv4" ? ["10.96.0.10", "fd00:96::a"] : ["fd00:96::a", "10.96.0.10"], families: families),
            Slice("reviews-v4", "reviews", [Endpoint("10.1.0.5", "p")]),
            Slice("reviews-v6", "reviews", [Endpoint("fd00:10:1::5", "p")], addressType: "IPv6"),
            Pod("p"));
        Assert.Equal([expected], registry.Services.Single().Endpoints.Select(e => e.WorkloadEntry.Key));
    }

    [Fact]
    public void SlicesOfOtherServicesAndFqdnSlices_AreNotJoined()
    {
        var registry = Map(
            Service("reviews"),
            Slice("ratings-1", "ratings", [Endpoint("10.1.0.8")]),
            Slice("reviews-fqdn", "reviews", [Endpoint("reviews.example.com")], addressType: "FQDN"),
            Slice("reviews-1", "reviews", [Endpoint("10.1.0.5")]));
        Assert.Equal(["WorkloadEntry/bookinfo/reviews-10-1-0-5"], registry.Services.Single().Endpoints.Select(e => e.WorkloadEntry.Key));
    }

    [Fact]
    public void NamedTargetPort_GivesEachWorkloadItsOwnPortNumber()
    {
        var registry = Map(
            Service("api", [Port(80, "http", target: "web"), Port(9090, "grpc-admin", target: 9090)]),
            Slice("api-1", "api", [Endpoint("10.1.0.5", "old")], ports: [SlicePort("http", 8080), SlicePort("grpc-admin", 9090), SlicePort("metrics", 15090)]),
            Slice("api-2", "api", [Endpoint("10.1.0.6", "new")], ports: [SlicePort("http", 8081), SlicePort("grpc-admin", 9090)]),
            Pod("old"), Pod("new"));

        Assert.Contains("\"ports\":{\"grpc-admin\":9090,\"http\":8080}", Spec(registry, "WorkloadEntry/bookinfo/api-10-1-0-5"));
        Assert.Contains("\"ports\":{\"grpc-admin\":9090,\"http\":8081}", Spec(registry, "WorkloadEntry/bookinfo/api-10-1-0-6"));
    }

    [Fact]
    public void UnnamedSlicePort_MapsToTheLoneUnnamedServicePort()
    {
        var registry = Map(
            Service("cache", [Port(6379, appProtocol: "redis")]),
            Slice("cache-1", "cache", [Endpoint("10.1.0.5")], ports: [SlicePort(null, 6379)]));
        Assert.Contains("\"ports\":{\"redis-6379\":6379}", Spec(registry, "WorkloadEntry/bookinfo/cache-10-1-0-5"));
    }

    [Fact]
    public void PodBehindTwoServices_IsAWorkloadEntryOfEach()
    {
        var registry = Map(
            Service("reviews"), Service("reviews-canary"),
            Slice("r", "reviews", [Endpoint("10.1.0.5", "p")]),
            Slice("c", "reviews-canary", [Endpoint("10.1.0.5", "p")]),
            Pod("p", V1Labels));
        Assert.Contains("\"mesh.io/kubernetes-service\":\"reviews-canary\"", Spec(registry, "WorkloadEntry/bookinfo/reviews-canary-10-1-0-5"));
        Assert.Contains("\"mesh.io/kubernetes-service\":\"reviews\"", Spec(registry, "WorkloadEntry/bookinfo/reviews-10-1-0-5"));
    }
}
