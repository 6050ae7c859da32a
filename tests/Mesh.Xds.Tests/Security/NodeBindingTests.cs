using Envoy.Config.Core.V3;
using Mesh.Xds.Resources;
using Mesh.Xds.Security;

namespace Mesh.Xds.Tests.Security;

public sealed class NodeBindingTests
{
    private static readonly SpiffeId Web = new("cluster.local", "shop", "web");

    [Theory]
    [InlineData("sidecar~10.0.0.1~web-1.shop~shop.svc.cluster.local", null)]
    [InlineData("router~10.0.0.1~ingress.shop~shop.svc.cluster.local", null)]
    // Not in Istio's shape: a plain gRPC client's id names no workload, so there is nothing to bind.
    [InlineData("client-1", null)]
    [InlineData("sidecar~10.0.0.1~web-1.bank~bank.svc.cluster.local", "names namespace 'bank' but the proxy authenticated as spiffe://cluster.local/ns/shop/sa/web")]
    // A sidecar id that does not parse could hide another namespace: refused with the parser's reason.
    [InlineData("sidecar~10.0.0.1~web-1.bank~shop.svc.cluster.local", "third part 'web-1.bank' is not WORKLOAD.shop")]
    [InlineData("sidecar~10.0.0.1~web-1.shop", "has 3 '~'-separated part(s), not 4")]
    public void A_node_id_must_name_the_namespace_the_proxy_authenticated_in(string nodeId, string? mismatch)
    {
        var found = NodeBinding.Mismatch(new Node { Id = nodeId }, Web);

        if (mismatch is null) Assert.Null(found);
        else Assert.Contains(mismatch, found, StringComparison.Ordinal);
    }
}
