using Envoy.Config.Endpoint.V3;
using Mesh.Sidecar.Config;

namespace Mesh.Sidecar.Tests.Config;

public sealed class LoadAssignmentCompilerTests
{
    [Fact]
    public void Endpoints_carry_locality_weight_health_and_the_workload_behind_them()
    {
        var endpoints = LoadAssignmentCompiler.Compile(Resources.Parse<ClusterLoadAssignment>("""
            {"endpoints": [{"locality": {"region": "eu", "zone": "eu-1"}, "lb_endpoints": [
              {"endpoint": {"address": {"socket_address": {"address": "10.0.0.1", "port_value": 8080}}}, "load_balancing_weight": 3,
               "metadata": {"filter_metadata": {"mesh": {"workload": "shop/web-1", "tls_mode": "istio", "service_account": "web"}}}},
              {"endpoint": {"address": {"socket_address": {"address": "10.0.0.2", "port_value": 8080}}}, "health_status": "UNHEALTHY"},
              {"endpoint": {"address": {"pipe": {"path": "/tmp/s"}}}}]}]}
            """));

        Assert.Equal(2, endpoints.Count);
        var first = endpoints[0];
        Assert.Equal(("10.0.0.1:8080", 3, "eu/eu-1", true), (first.Key, first.Weight, first.Locality, first.Healthy));
        Assert.Equal(("web-1", "shop", true, "web"), (first.Workload, first.WorkloadNamespace, first.SidecarMtls, first.ServiceAccount));
        var second = endpoints[1];
        Assert.Equal((1, false, "", false), (second.Weight, second.Healthy, second.Workload, second.SidecarMtls));
    }

    [Fact]
    public void No_assignment_means_no_endpoints()
        => Assert.Empty(LoadAssignmentCompiler.Compile(null));
}
