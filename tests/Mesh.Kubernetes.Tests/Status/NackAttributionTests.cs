using Mesh.Config.Kinds;
using Mesh.Kubernetes.Status;
using static Mesh.Kubernetes.Tests.Status.StatusFixtures;

namespace Mesh.Kubernetes.Tests.Status;

public class NackAttributionTests
{
    [Fact]
    public void A_cluster_NACK_naming_the_rules_host_is_the_destination_rules()
    {
        var nack = Clusters(Changed, acked: false, nack: $"Cluster {ReviewsV1}: tls.credentialName 'x' (a Kubernetes Secret) is for gateways",
            ReviewsV1, "outbound|9080||ratings.bookinfo.svc.cluster.local");
        Assert.True(NackAttribution.Concerns(ReviewsDestinationRule(), nack));
    }

    [Fact]
    public void A_cluster_NACK_naming_another_host_is_not_the_destination_rules()
    {
        var nack = Clusters(Changed, acked: false, nack: "Cluster outbound|9080||ratings.bookinfo.svc.cluster.local: bad",
            ReviewsV1, "outbound|9080||ratings.bookinfo.svc.cluster.local");
        Assert.False(NackAttribution.Concerns(ReviewsDestinationRule(), nack));
    }

    [Fact]
    public void A_NACK_that_names_nothing_of_the_object_blames_no_object_even_though_the_response_held_it()
    {
        var nack = Clusters(Changed, acked: false, nack: "proto: cannot parse invalid wire-format data");
        Assert.False(NackAttribution.Concerns(ReviewsDestinationRule(), nack));
    }

    [Fact]
    public void A_route_NACK_is_not_the_destination_rules_and_a_cluster_NACK_is_not_the_virtual_services()
    {
        Assert.False(NackAttribution.Concerns(ReviewsDestinationRule(), Routes(Changed, acked: false, nack: $"RouteConfiguration {ReviewsRoute}: bad")));
        Assert.False(NackAttribution.Concerns(ReviewsVirtualService(), Clusters(Changed, acked: false, nack: $"Cluster {ReviewsV1}: bad")));
    }

    [Theory]
    [InlineData("RouteConfiguration reviews.bookinfo.svc.cluster.local:9080: route 0: bad regex", true)]
    [InlineData("route bookinfo.reviews.2: regex too large", true)]
    [InlineData("route bookinfo.reviews-canary.2: regex too large", false)]
    [InlineData("route other.reviews.2: regex too large", false)]
    [InlineData("RouteConfiguration reviews.bookinfo.svc.cluster.local:90801: bad", false)]
    public void A_route_NACK_is_the_virtual_services_when_it_names_its_route_configuration_or_one_of_its_routes(string error, bool concerns)
    {
        var nack = Routes(Changed, acked: false, nack: error, ReviewsRoute, "reviews.bookinfo.svc.cluster.local:90801");
        Assert.Equal(concerns, NackAttribution.Concerns(ReviewsVirtualService(), nack));
    }

    [Fact]
    public void An_ACK_concerns_nobody()
    {
        Assert.False(NackAttribution.Concerns(ReviewsDestinationRule(), Clusters(Changed)));
    }

    [Fact]
    public void Kinds_whose_resources_are_not_traced_have_no_scope()
    {
        Assert.Null(FleetScope.Of(ResourceKinds.WorkloadEntry, "bookinfo", "reviews-1", System.Text.Json.Nodes.JsonNode.Parse("""{"address": "10.0.0.1"}""")!.AsObject(), Root));
    }

    [Fact]
    public void A_virtual_service_bound_only_to_a_gateway_reaches_no_sidecar_scope()
    {
        var spec = System.Text.Json.Nodes.JsonNode.Parse("""{"hosts": ["reviews"], "gateways": ["ingress"], "http": []}""")!.AsObject();
        Assert.Null(FleetScope.Of(ResourceKinds.VirtualService, "bookinfo", "reviews", spec, Root));
    }
}
