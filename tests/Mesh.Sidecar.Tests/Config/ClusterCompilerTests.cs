using Envoy.Config.Cluster.V3;
using Mesh.Sidecar.Config;

namespace Mesh.Sidecar.Tests.Config;

public sealed class ClusterCompilerTests
{
    [Fact]
    public void Load_balancing_limits_outlier_detection_and_health_checks_are_kept()
    {
        var cluster = Compile("""
            {"name": "c", "type": "EDS", "lb_policy": "RING_HASH", "ring_hash_lb_config": {"minimum_ring_size": 64},
             "circuit_breakers": {"thresholds": [{"max_connections": 10, "max_requests": 4294967295}]},
             "outlier_detection": {"consecutive_5xx": 3, "base_ejection_time": "10s"},
             "health_checks": [{"interval": "2s", "timeout": "1s", "http_health_check": {"path": "/healthz"}}]}
            """, out var errors);

        Assert.Empty(errors);
        Assert.Equal((LbKind.RingHash, 64ul), (cluster!.LoadBalancer, cluster.MinimumRingSize));
        Assert.Equal((10, (int?)null), (cluster.Limits.MaxConnections, cluster.Limits.MaxRequests));
        Assert.Equal((3, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(300)), (cluster.Outlier!.Consecutive5xx, cluster.Outlier.BaseEjectionTime, cluster.Outlier.MaxEjectionTime));
        Assert.Equal(("/healthz", TimeSpan.FromSeconds(2)), (cluster.HealthCheck!.Path, cluster.HealthCheck.Interval));
    }

    [Fact]
    public void Meshs_lb_hint_wins_over_lb_policy()
    {
        var cluster = Compile("""
            {"name": "c", "type": "EDS", "lb_policy": "ROUND_ROBIN", "metadata": {"filter_metadata": {"mesh": {"lb_policy": "LEAST_REQUEST"}}}}
            """, out _);

        Assert.Equal(LbKind.LeastRequest, cluster!.LoadBalancer);
    }

    [Theory]
    [InlineData("""{"name": "c", "type": "EDS", "lb_policy": "CLUSTER_PROVIDED"}""", "Cluster c: lb_policy ClusterProvided is not supported (ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH, MAGLEV)")]
    [InlineData("""{"name": "c", "type": "ORIGINAL_DST"}""", "Cluster c: type OriginalDst is not supported (EDS, STATIC, STRICT_DNS, LOGICAL_DNS)")]
    [InlineData("""{"name": "c", "type": "EDS", "health_checks": [{"interval": "0s", "timeout": "1s", "http_health_check": {}}]}""", "Cluster c.health_checks.interval: must be greater than zero")]
    [InlineData("""{"name": "c", "type": "EDS", "outlier_detection": {"base_ejection_time": "-1s"}}""", "Cluster c.outlier_detection.base_ejection_time: ")]
    public void A_cluster_the_sidecar_cannot_use_is_refused_with_its_field_path(string json, string error)
    {
        Compile(json, out var errors);

        Assert.StartsWith(error, Assert.Single(errors));
    }

    private static UpstreamCluster? Compile(string json, out List<string> errors)
    {
        errors = [];
        return ClusterCompiler.Compile(Resources.Parse<Cluster>(json), null, errors);
    }
}
