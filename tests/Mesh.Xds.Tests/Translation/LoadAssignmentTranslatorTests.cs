using Envoy.Config.Core.V3;
using Mesh.Xds.Translation;

namespace Mesh.Xds.Tests.Translation;

public sealed class LoadAssignmentTranslatorTests
{
    [Fact]
    public void Endpoints_are_grouped_by_locality_with_weights_always_set()
    {
        var assignment = LoadAssignmentTranslator.Translate(Bookinfo.Model(), Bookinfo.Port, "");

        Assert.Equal("outbound|9080||reviews.bookinfo.svc.cluster.local", assignment.ClusterName);
        Assert.Equal(2, assignment.Endpoints.Count);
        var zoneA = assignment.Endpoints[0];
        Assert.Equal(("us-east", "a", ""), (zoneA.Locality.Region, zoneA.Locality.Zone, zoneA.Locality.SubZone));
        Assert.Equal(["10.0.0.1", "10.0.0.3"], zoneA.LbEndpoints.Select(e => e.Endpoint.Address.SocketAddress.Address));
        Assert.Equal(2u, zoneA.LoadBalancingWeight); // v3's weight 0 counts as 1
        Assert.Equal(3u, assignment.Endpoints[1].LoadBalancingWeight);
        Assert.All(assignment.Endpoints, l => Assert.Equal(0u, l.Priority));
        Assert.All(assignment.Endpoints.SelectMany(l => l.LbEndpoints), e =>
        {
            Assert.Equal(HealthStatus.Healthy, e.HealthStatus);
            Assert.Equal(9080u, e.Endpoint.Address.SocketAddress.PortValue);
            Assert.True(e.LoadBalancingWeight >= 1);
        });
    }

    [Fact]
    public void Subset_has_only_its_endpoints()
    {
        var assignment = LoadAssignmentTranslator.Translate(Bookinfo.Model(Bookinfo.Subsets), Bookinfo.Port, "v2");

        var locality = Assert.Single(assignment.Endpoints);
        Assert.Equal("b", locality.Locality.Zone);
        Assert.Equal("10.0.0.2", Assert.Single(locality.LbEndpoints).Endpoint.Address.SocketAddress.Address);
    }

    [Theory]
    [InlineData(9999, "")]
    [InlineData(9080, "v9")]
    public void Unknown_port_or_subset_has_an_empty_assignment(int port, string subset)
    {
        var assignment = LoadAssignmentTranslator.Translate(Bookinfo.Model(), port, subset);

        Assert.NotNull(assignment);
        Assert.Empty(assignment.Endpoints);
        Assert.EndsWith("|reviews.bookinfo.svc.cluster.local", assignment.ClusterName);
    }
}
