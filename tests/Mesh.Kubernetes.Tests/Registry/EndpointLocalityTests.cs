using Mesh.Kubernetes.Registry;
using static Mesh.Kubernetes.Tests.Registry.KubeObjects;

namespace Mesh.Kubernetes.Tests.Registry;

public class EndpointLocalityTests
{
    [Theory]
    [InlineData("us-east1", "us-east1-b", "rack4", null, null, "us-east1/us-east1-b/rack4")]
    [InlineData("us-east1", "us-east1-b", null, null, null, "us-east1/us-east1-b")]
    [InlineData("us-east1", null, null, null, null, "us-east1")]
    // The slice's zone stands in for a node without a zone label, never for a missing region.
    [InlineData("us-east1", null, null, "us-east1-c", null, "us-east1/us-east1-c")]
    [InlineData(null, "us-east1-b", null, "us-east1-b", null, "")]
    [InlineData("us-east1", "us-east1-b", null, "other-zone", null, "us-east1/us-east1-b")]
    // The pod's istio-locality label wins; dots separate its parts.
    [InlineData("us-east1", "us-east1-b", null, null, "eu-west1.eu-west1-a", "eu-west1/eu-west1-a")]
    [InlineData(null, null, null, null, "eu-west1.eu-west1-a.rack1", "eu-west1/eu-west1-a/rack1")]
    public void Locality_FromPodLabelThenNodeThenSlice(string? region, string? zone, string? subzone, string? sliceZone, string? podLabel, string expected)
    {
        var endpoint = Endpoint("10.1.0.5", "reviews-v1", node: "node-1", zone: sliceZone);
        var pod = Pod("reviews-v1", podLabel is null ? null : new() { [EndpointLocality.PodLabel] = podLabel });
        Assert.Equal(expected, EndpointLocality.Of(endpoint, pod, Node("node-1", region, zone, subzone)));
    }

    [Fact]
    public void Locality_WithoutNode_IsUnknown() =>
        Assert.Equal("", EndpointLocality.Of(Endpoint("10.1.0.5", zone: "us-east1-b"), null, null));

    [Fact]
    public void NodeName_FromTheSliceElseThePod()
    {
        Assert.Equal("node-a", EndpointLocality.NodeName(Endpoint("10.1.0.5", node: "node-a"), Pod("p", node: "node-b")));
        Assert.Equal("node-b", EndpointLocality.NodeName(Endpoint("10.1.0.5"), Pod("p", node: "node-b")));
    }
}
