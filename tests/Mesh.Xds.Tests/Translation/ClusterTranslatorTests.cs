using Envoy.Config.Cluster.V3;
using Envoy.Config.Core.V3;
using Mesh.Xds.Translation;
using LbPolicy = Envoy.Config.Cluster.V3.Cluster.Types.LbPolicy;

namespace Mesh.Xds.Tests.Translation;

public sealed class ClusterTranslatorTests
{
    [Fact]
    public void Cluster_is_EDS_over_ADS_named_after_itself()
    {
        var cluster = ClusterTranslator.Translate(Bookinfo.Model(), Bookinfo.Port, "")!;

        Assert.Equal("outbound|9080||reviews.bookinfo.svc.cluster.local", cluster.Name);
        Assert.Equal(Cluster.Types.DiscoveryType.Eds, cluster.Type);
        Assert.NotNull(cluster.EdsClusterConfig.EdsConfig.Ads);
        Assert.Equal(ApiVersion.V3, cluster.EdsClusterConfig.EdsConfig.ResourceApiVersion);
        Assert.Equal(cluster.Name, cluster.EdsClusterConfig.ServiceName);
        Assert.Equal(LbPolicy.RoundRobin, cluster.LbPolicy);
        Assert.Null(cluster.OutlierDetection);
    }

    [Theory]
    [InlineData(9999, "")]
    [InlineData(9080, "v4")]
    [InlineData(9080, "v1")] // no DestinationRule defines v1
    public void Unknown_port_or_subset_has_no_cluster(int port, string subset)
    {
        var model = subset == "v1" ? Bookinfo.Model() : Bookinfo.Model(Bookinfo.Subsets);

        Assert.Null(ClusterTranslator.Translate(model, port, subset));
    }

    [Fact]
    public void Subset_cluster_exists_when_the_DestinationRule_defines_it()
    {
        var cluster = ClusterTranslator.Translate(Bookinfo.Model(Bookinfo.Subsets), Bookinfo.Port, "v2")!;

        Assert.Equal("outbound|9080|v2|reviews.bookinfo.svc.cluster.local", cluster.Name);
    }

    [Theory]
    [InlineData("""{"simple": "ROUND_ROBIN"}""", LbPolicy.RoundRobin)]
    [InlineData("""{"simple": "LEAST_REQUEST"}""", LbPolicy.RoundRobin)]
    [InlineData("""{"simple": "RANDOM"}""", LbPolicy.RoundRobin)]
    [InlineData("""{"simple": "PASSTHROUGH"}""", LbPolicy.RoundRobin)]
    [InlineData("""{"consistentHash": {"httpHeaderName": "x-user"}}""", LbPolicy.RingHash)]
    [InlineData("""{"consistentHash": {"useSourceIp": true, "maglev": {"tableSize": 65537}}}""", LbPolicy.RingHash)]
    public void Load_balancer_maps_to_a_policy_gRPC_clients_accept(string loadBalancer, LbPolicy expected)
    {
        var rule = $$$"""{"host": "reviews", "trafficPolicy": {"loadBalancer": {{{loadBalancer}}}}}""";

        Assert.Equal(expected, ClusterTranslator.Translate(Bookinfo.Model(rule), Bookinfo.Port, "")!.LbPolicy);
    }

    [Fact]
    public void Ring_size_is_capped_at_what_gRPC_accepts()
    {
        const string rule = """{"host": "reviews", "trafficPolicy": {"loadBalancer": {"consistentHash": {"httpHeaderName": "x", "minimumRingSize": 99999999}}}}""";

        var cluster = ClusterTranslator.Translate(Bookinfo.Model(rule), Bookinfo.Port, "")!;

        Assert.Equal(8_388_608ul, cluster.RingHashLbConfig.MinimumRingSize);
    }

    [Fact]
    public void Subset_policy_overrides_port_level_which_overrides_the_top_level()
    {
        const string rule = """
            {"host": "reviews",
             "trafficPolicy": {
               "loadBalancer": {"simple": "LEAST_REQUEST"},
               "connectionPool": {"http": {"http2MaxRequests": 10}},
               "outlierDetection": {"consecutive5xxErrors": 7},
               "portLevelSettings": [{"port": {"number": 9080}, "connectionPool": {"http": {"http2MaxRequests": 20, "maxRetries": 2}}}]},
             "subsets": [{"name": "v1", "labels": {"version": "v1"},
               "trafficPolicy": {"loadBalancer": {"consistentHash": {"httpHeaderName": "x-user"}}}}]}
            """;
        var model = Bookinfo.Model(rule);

        var whole = ClusterTranslator.Translate(model, Bookinfo.Port, "")!;
        var v1 = ClusterTranslator.Translate(model, Bookinfo.Port, "v1")!;

        Assert.Equal(LbPolicy.RoundRobin, whole.LbPolicy);
        Assert.Equal(LbPolicy.RingHash, v1.LbPolicy);
        Assert.All(new[] { whole, v1 }, c =>
        {
            var thresholds = Assert.Single(c.CircuitBreakers.Thresholds);
            Assert.Equal(20u, thresholds.MaxRequests);
            Assert.Equal(2u, thresholds.MaxRetries);
            Assert.Equal(7u, c.OutlierDetection.Consecutive5Xx);
        });
    }

    [Fact]
    public void Connection_pool_becomes_circuit_breakers_and_unset_limits_are_unlimited()
    {
        const string rule = """
            {"host": "reviews", "trafficPolicy": {"connectionPool": {
              "tcp": {"maxConnections": 100}, "http": {"http1MaxPendingRequests": 5, "http2MaxRequests": 50}}}}
            """;

        var thresholds = ClusterTranslator.Translate(Bookinfo.Model(rule), Bookinfo.Port, "")!.CircuitBreakers.Thresholds.Single();

        Assert.Equal(RoutingPriority.Default, thresholds.Priority);
        Assert.Equal(100u, thresholds.MaxConnections);
        Assert.Equal(5u, thresholds.MaxPendingRequests);
        Assert.Equal(50u, thresholds.MaxRequests);
        Assert.Equal(uint.MaxValue, thresholds.MaxRetries);
    }

    [Fact]
    public void Outlier_detection_uses_Istio_enforcing_settings()
    {
        const string rule = """
            {"host": "reviews", "trafficPolicy": {"outlierDetection": {
              "consecutive5xxErrors": 5, "consecutiveGatewayErrors": 0, "interval": "10s", "baseEjectionTime": "30s",
              "maxEjectionPercent": 50, "minHealthPercent": 20}}}
            """;

        var cluster = ClusterTranslator.Translate(Bookinfo.Model(rule), Bookinfo.Port, "")!;
        var outlier = cluster.OutlierDetection;

        Assert.Equal(5u, outlier.Consecutive5Xx);
        Assert.Equal(100u, outlier.EnforcingConsecutive5Xx);
        Assert.Equal(0u, outlier.ConsecutiveGatewayFailure);
        Assert.Equal(0u, outlier.EnforcingConsecutiveGatewayFailure);
        Assert.Equal(0u, outlier.EnforcingSuccessRate);
        Assert.Equal(10, outlier.Interval.Seconds);
        Assert.Equal(30, outlier.BaseEjectionTime.Seconds);
        Assert.Equal(50u, outlier.MaxEjectionPercent);
        Assert.Equal(20, cluster.CommonLbConfig.HealthyPanicThreshold.Value);
    }
}
