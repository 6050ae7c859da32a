using Mesh.Xds.Security;

namespace Mesh.Xds.Tests.Security;

public sealed class CredentialEntitlementTests
{
    [Theory]
    [InlineData("router~10.0.0.9~ingress-7d9.shop~shop.svc.cluster.local", "shop", true)]
    [InlineData("router~10.0.0.9~ingress-7d9.shop~shop.svc.cluster.local", "bank", false)]
    [InlineData("sidecar~10.0.0.9~web-1.shop~shop.svc.cluster.local", "shop", false)]
    [InlineData("router~10.0.0.9~ingress", "shop", false)]
    [InlineData("shop", "shop", false)]
    public void Only_a_router_of_the_namespace_may_have_its_credentials(string nodeId, string @namespace, bool allowed) =>
        Assert.Equal(allowed, CredentialEntitlement.Allows(nodeId, @namespace));
}
