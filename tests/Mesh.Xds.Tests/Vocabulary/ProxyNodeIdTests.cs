using Mesh.Xds.Resources;

namespace Mesh.Xds.Tests.Vocabulary;

public sealed class ProxyNodeIdTests
{
    [Theory]
    [InlineData("sidecar~10.0.0.1~reviews-v1.bookinfo~bookinfo.svc.cluster.local", "sidecar", "10.0.0.1", "reviews-v1", "bookinfo", "svc.cluster.local")]
    [InlineData("router~10.0.0.9~ingress-7d9.istio-system~istio-system.svc.cluster.local", "router", "10.0.0.9", "ingress-7d9", "istio-system", "svc.cluster.local")]
    [InlineData("sidecar~fd00::1~web.shop~shop.svc.example.org", "sidecar", "fd00::1", "web", "shop", "svc.example.org")]
    // A pod name may hold dots itself: only the namespace's suffix is taken off.
    [InlineData("sidecar~10.0.0.1~web.v2.shop~shop.svc.cluster.local", "sidecar", "10.0.0.1", "web.v2", "shop", "svc.cluster.local")]
    public void An_istio_node_id_parses_into_its_parts_and_formats_back(string text, string type, string address, string workload, string ns, string domain)
    {
        Assert.Null(ProxyNodeId.Parse(text, out var id));
        Assert.Equal(new ProxyNodeId(type, address, workload, ns, domain), id);
        Assert.Equal(text, id.ToString());
        Assert.Equal(type == "router", id.IsRouter);
        Assert.True(ProxyNodeId.Claims(text));
    }

    [Theory]
    [InlineData(null, "is empty")]
    [InlineData("", "is empty")]
    [InlineData("router~10.0.0.9~ingress", "has 3 '~'-separated part(s), not 4")]
    [InlineData("sidecar~10.0.0.1~web.shop~shop.svc.cluster.local~extra", "has 5 '~'-separated part(s), not 4")]
    [InlineData("gateway~10.0.0.1~web.shop~shop.svc.cluster.local", "type 'gateway' is neither sidecar nor router")]
    [InlineData("sidecar~~web.shop~shop.svc.cluster.local", "has no IP address")]
    [InlineData("sidecar~10.0.0.1~web.shop~shop", "last part 'shop' is not NAMESPACE.svc.DOMAIN")]
    [InlineData("sidecar~10.0.0.1~web.shop~.svc.cluster.local", "last part '.svc.cluster.local' is not NAMESPACE.svc.DOMAIN")]
    [InlineData("sidecar~10.0.0.1~web.shop~shop.", "last part 'shop.' is not NAMESPACE.svc.DOMAIN")]
    // The pod's namespace and the domain's must agree: a proxy cannot name one workload in another namespace.
    [InlineData("sidecar~10.0.0.1~web.bank~shop.svc.cluster.local", "third part 'web.bank' is not WORKLOAD.shop")]
    [InlineData("router~10.0.0.1~ingress~shop.svc.cluster.local", "third part 'ingress' is not WORKLOAD.shop")]
    [InlineData("router~10.0.0.1~.shop~shop.svc.cluster.local", "third part '.shop' is not WORKLOAD.shop")]
    public void A_malformed_id_is_refused_with_the_reason(string? text, string reason)
    {
        Assert.Contains(reason, ProxyNodeId.Parse(text, out var id), StringComparison.Ordinal);
        Assert.False(ProxyNodeId.TryParse(text, out _));
        Assert.Equal("", id.Namespace);
    }

    [Theory]
    [InlineData("client-1", false)]
    [InlineData("sidecar-1~x", false)]
    [InlineData("sidecar~anything", true)]
    [InlineData("router~", true)]
    public void Only_ids_that_start_with_an_istio_type_claim_the_shape(string text, bool claims) =>
        Assert.Equal(claims, ProxyNodeId.Claims(text));
}
