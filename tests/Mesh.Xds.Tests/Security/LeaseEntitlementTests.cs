using Mesh.Xds.Security;

namespace Mesh.Xds.Tests.Security;

public sealed class LeaseEntitlementTests
{
    private const string Router = "router~10.0.0.9~ingress-7d9.edge~edge.svc.cluster.local";
    private const string Bucket = "ApiPolicy/edge/limits/per-user";

    [Theory]
    [InlineData(Router, null)]
    [InlineData(Router, "edge")]
    [InlineData("router~10.0.0.9~ingress-1.shop~shop.svc.cluster.local", null)]
    [InlineData("router~10.0.0.9~ingress-1.shop~shop.svc.cluster.local", "shop")]
    public void A_gateway_of_any_namespace_may_lease(string node, string? authenticated) =>
        Assert.Null(LeaseEntitlement.Refusal(node, authenticated, Bucket));

    [Theory]
    [InlineData("sidecar~10.0.0.7~web-1.edge~edge.svc.cluster.local", "edge", "is not a gateway")]
    [InlineData("sidecar~10.0.0.7~web-1.edge~edge.svc.cluster.local", null, "is not a gateway")]
    [InlineData(Router, "shop", "authenticated in namespace 'shop', but its node id names a gateway of 'edge'")]
    [InlineData("", null, "is not a gateway")]
    public void Anyone_else_is_refused_with_why(string node, string? authenticated, string reason) =>
        Assert.Contains(reason, LeaseEntitlement.Refusal(node, authenticated, Bucket), StringComparison.Ordinal);

    [Theory]
    [InlineData("ApiPolicy/edge/limits")]
    [InlineData("VirtualService/edge/limits/x")]
    [InlineData("ApiPolicy//limits/x")]
    public void A_bucket_that_is_no_ApiPolicy_limit_is_refused(string bucket) =>
        Assert.Contains("is not an ApiPolicy limit", LeaseEntitlement.Refusal(Router, null, bucket), StringComparison.Ordinal);
}
