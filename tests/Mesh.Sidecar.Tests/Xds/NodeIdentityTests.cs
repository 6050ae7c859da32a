using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Xds;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Tests.Xds;

public sealed class NodeIdentityTests
{
    [Theory]
    [InlineData("10.0.0.5", "http://10.0.0.5:15091/stats/prometheus")]
    [InlineData("fd00::5", "http://[fd00::5]:15091/stats/prometheus")]
    public void The_node_says_where_its_metrics_are_on_the_address_they_are_bound_to(string address, string expected)
    {
        var options = new SidecarOptions { XdsServers = ["127.0.0.1:15010"], Workload = "ingress", Mode = ProxyMode.Gateway, Address = address, MetricsPort = 15091 };

        Assert.Equal(expected, NodeMetadata.Text(NodeIdentity.For(options).Metadata, NodeMetadata.MetricsUrl));
    }
}
