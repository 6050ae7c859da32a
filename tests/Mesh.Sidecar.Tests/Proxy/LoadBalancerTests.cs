using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;
using Yarp.ReverseProxy.Model;

namespace Mesh.Sidecar.Tests.Proxy;

public sealed class LoadBalancerTests
{
    private static readonly OutlierPolicy Outliers = new(5, true, 5, false, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(300), 10);

    private static (UpstreamCluster Cluster, IReadOnlyList<DestinationState> Available) Cluster(LbKind lb, OutlierPolicy? outlier, params EndpointModel[] endpoints)
    {
        var cluster = Forwarding.Cluster(CircuitLimits.Unlimited, outlier, lb, endpoints);
        return (cluster, Forwarding.Yarp(cluster).DestinationsState.AvailableDestinations);
    }

    private static Dictionary<string, int> Picks(UpstreamCluster cluster, IReadOnlyList<DestinationState> available, int count, string locality = "", ulong? hash = null, IReadOnlySet<string>? tried = null)
    {
        var runtime = new ClusterRuntime(cluster.Name);
        return Enumerable.Range(0, count).Select(_ => LoadBalancer.Pick(cluster, runtime, available, locality, hash, tried)!.DestinationId)
            .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
    }

    [Fact]
    public void Round_robin_follows_the_endpoints_weights_exactly()
    {
        var (cluster, available) = Cluster(LbKind.RoundRobin, null, Forwarding.Endpoint("10.0.0.1"), Forwarding.Endpoint("10.0.0.2", weight: 3));

        var picks = Picks(cluster, available, 400);

        Assert.Equal(100, picks["10.0.0.1:80"]);
        Assert.Equal(300, picks["10.0.0.2:80"]);
    }

    [Fact]
    public void No_available_endpoint_is_no_pick()
    {
        var (cluster, _) = Cluster(LbKind.RoundRobin, null, Forwarding.Endpoint("10.0.0.1"));

        Assert.Null(LoadBalancer.Pick(cluster, new ClusterRuntime("c"), [], "", null, null));
    }

    [Fact]
    public void A_retry_avoids_the_endpoints_already_tried_while_others_remain()
    {
        var (cluster, available) = Cluster(LbKind.Random, null, Forwarding.Endpoint("10.0.0.1"), Forwarding.Endpoint("10.0.0.2"), Forwarding.Endpoint("10.0.0.3"));

        var picks = Picks(cluster, available, 50, tried: new HashSet<string> { "10.0.0.1:80", "10.0.0.2:80" });
        var allTried = Picks(cluster, available, 50, tried: available.Select(d => d.DestinationId).ToHashSet());

        Assert.Equal(["10.0.0.3:80"], picks.Keys);
        Assert.Equal(3, allTried.Count);
    }

    [Theory]
    [InlineData("eu/west/a", "10.0.0.1:80")]
    [InlineData("eu/west/b", "10.0.0.1:80,10.0.0.2:80")]
    [InlineData("eu/north", "10.0.0.3:80")]
    [InlineData("ap", "10.0.0.1:80,10.0.0.2:80,10.0.0.3:80,10.0.0.4:80")]
    public void With_outlier_detection_the_nearest_locality_wins(string locality, string nearest)
    {
        var (cluster, available) = Cluster(LbKind.RoundRobin, Outliers,
            Forwarding.Endpoint("10.0.0.1", locality: "eu/west/a"), Forwarding.Endpoint("10.0.0.2", locality: "eu/west"), Forwarding.Endpoint("10.0.0.3", locality: "eu/north/x"),
            Forwarding.Endpoint("10.0.0.4", locality: "us/east/a"));

        Assert.Equal(nearest.Split(','), Picks(cluster, available, 40, locality).Keys.Order());
    }

    [Fact]
    public void Without_outlier_detection_locality_does_not_matter()
    {
        var (cluster, available) = Cluster(LbKind.RoundRobin, null, Forwarding.Endpoint("10.0.0.1", locality: "eu/west/a"), Forwarding.Endpoint("10.0.0.2", locality: "us/east/a"));

        Assert.Equal(2, Picks(cluster, available, 20, "eu/west/a").Count);
    }

    [Fact]
    public void Ring_hash_sends_one_key_to_one_endpoint_and_different_keys_across_them()
    {
        var (cluster, available) = Cluster(LbKind.RingHash, null, Forwarding.Endpoint("10.0.0.1"), Forwarding.Endpoint("10.0.0.2"), Forwarding.Endpoint("10.0.0.3"));
        var runtime = new ClusterRuntime("c");

        Assert.Single(Picks(cluster, available, 30, hash: HashRing.Hash("alice")));
        var owners = Enumerable.Range(0, 60).Select(i => LoadBalancer.Pick(cluster, runtime, available, "", HashRing.Hash($"user-{i}"), null)!.DestinationId).Distinct();
        Assert.Equal(3, owners.Count());
        Assert.Equal(runtime.Ring(cluster).Walk(HashRing.Hash("alice")).First(), LoadBalancer.Pick(cluster, runtime, available, "", HashRing.Hash("alice"), null)!.DestinationId);
    }

    [Fact]
    public void Least_request_prefers_the_less_busy_endpoint()
    {
        var (cluster, available) = Cluster(LbKind.LeastRequest, null, Forwarding.Endpoint("10.0.0.1"), Forwarding.Endpoint("10.0.0.2"));
        var runtime = new ClusterRuntime("c");
        runtime.Endpoint("10.0.0.1:80").Active = 10;

        var idle = Enumerable.Range(0, 400).Count(_ => LoadBalancer.Pick(cluster, runtime, available, "", null, null)!.DestinationId == "10.0.0.2:80");

        // Two random picks, the less busy wins: only when both land on the busy one (a quarter of the time) is it chosen.
        Assert.InRange(idle, 250, 360);
    }
}
