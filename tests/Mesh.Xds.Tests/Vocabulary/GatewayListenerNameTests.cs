using Mesh.Xds.Resources;

namespace Mesh.Xds.Tests.Vocabulary;

public sealed class GatewayListenerNameTests
{
    [Fact]
    public void Name_round_trips()
    {
        var name = XdsNames.GatewayListener("istio-system", "ingress", 8443);

        Assert.Equal("gateway|istio-system|ingress|8443", name);
        Assert.True(XdsNames.TryParseGatewayListener(name, out var @namespace, out var workload, out var port));
        Assert.Equal(("istio-system", "ingress", 8443), (@namespace, workload, port));
        // Not a service host: the service resources never claim it.
        Assert.Null(XdsNames.HostOf(TypeUrls.Listener, name));
    }

    [Theory]
    [InlineData("gateway|ns|wl")]
    [InlineData("gateway|ns|wl|0")]
    [InlineData("gateway|ns|wl|70000")]
    [InlineData("gateway||wl|80")]
    [InlineData("gateway|ns|wl|80|x")]
    [InlineData("virtualInbound|ns|wl")]
    [InlineData("reviews.bookinfo.svc.cluster.local:9080")]
    public void Other_names_do_not_parse(string name) => Assert.False(XdsNames.TryParseGatewayListener(name, out _, out _, out _));
}
