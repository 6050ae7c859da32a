using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Kubernetes.Status;
using static Mesh.Kubernetes.Tests.Status.StatusFixtures;

namespace Mesh.Kubernetes.Tests.Status;

/// <summary>The rule per kind for which proxies an object reaches and which NACKs are its.</summary>
public class FleetScopeTests
{
    [Fact]
    public void A_ServiceEntry_reaches_the_proxies_holding_a_cluster_or_endpoints_of_its_qualified_hosts()
    {
        var entry = ReviewsServiceEntry();
        Assert.True(entry.Reaches(Proxy("a", Clusters(Changed))));
        Assert.True(entry.Reaches(Proxy("b", Endpoints(Changed))));
        Assert.False(entry.Reaches(Proxy("c", Clusters(Changed, names: "outbound|9080||ratings.bookinfo.svc.cluster.local"))));
        // Route configurations of the host come from VirtualServices, not from the entry.
        Assert.False(entry.Reaches(Proxy("d", Routes(Changed))));
    }

    [Fact]
    public void A_ServiceEntry_runs_on_a_proxy_once_all_it_holds_is_ACKed_and_something_was_sent_after_the_change()
    {
        var proxies = new[]
        {
            Proxy("a", Clusters(Changed.AddSeconds(-5)), Endpoints(Changed.AddSeconds(1))), // only the endpoints changed
            Proxy("b", Clusters(Changed.AddSeconds(1)), Endpoints(Changed.AddSeconds(1), acked: false)),
            Proxy("c", Clusters(Changed.AddSeconds(-5)), Endpoints(Changed.AddSeconds(-5))),
        };
        var fleet = FleetStatus.Of(ReviewsServiceEntry(), proxies, Changed);
        Assert.Equal((3, 1), (fleet.Reached, fleet.Running));
    }

    [Fact]
    public void A_ServiceEntry_is_blamed_for_endpoint_NACKs_but_not_for_cluster_NACKs_which_DestinationRules_shape()
    {
        var clusterNack = Proxy("a", Clusters(Changed, acked: false, nack: $"Cluster {ReviewsV1}: tls.credentialName is for gateways"));
        var endpointNack = Proxy("b", Endpoints(Changed, acked: false, nack: $"ClusterLoadAssignment {ReviewsV1}: bad address"));

        Assert.Equal(["b"], FleetStatus.Of(ReviewsServiceEntry(), [clusterNack, endpointNack], Changed).Nacks.Select(n => n.Proxy));
        Assert.Equal(["a"], FleetStatus.Of(ReviewsDestinationRule(), [clusterNack, endpointNack], Changed).Nacks.Select(n => n.Proxy));
    }

    [Fact]
    public void A_ServiceEntry_qualifies_short_hosts_in_its_namespace_and_keeps_FQDNs()
    {
        var scope = Scope(ResourceKinds.ServiceEntry, "bookinfo", "mixed",
            """{"hosts": ["reviews", "api.example.com"], "ports": [{"number": 443, "name": "tls", "protocol": "TLS"}]}""")!;
        Assert.Equal(["api.example.com", "reviews.bookinfo.svc.cluster.local"], scope.Hosts.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(nameof(ResourceKinds.WorkloadEntry), """{"address": "10.0.0.1"}""")]
    [InlineData(nameof(ResourceKinds.WorkloadGroup), """{"template": {"serviceAccount": "reviews"}}""")]
    public void Kinds_whose_Envoy_resources_cannot_be_traced_to_them_have_no_scope(string kind, string spec)
    {
        var resourceKind = (ResourceKind)typeof(ResourceKinds).GetField(kind)!.GetValue(null)!;
        Assert.Null(Scope(resourceKind, "bookinfo", "x", spec));
    }

    [Fact]
    public void A_VirtualService_bound_only_to_gateways_has_no_scope()
    {
        var spec = JsonNode.Parse("""{"hosts": ["bookinfo.example.com"], "gateways": ["ingress"], "http": [{"route": [{"destination": {"host": "reviews"}}]}]}""")!.AsObject();
        Assert.Null(FleetScope.Of(ResourceKinds.VirtualService, "bookinfo", "edge", spec, Root));
    }
}
