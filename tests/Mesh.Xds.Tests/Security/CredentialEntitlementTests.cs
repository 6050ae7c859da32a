using System.Text.Json.Nodes;
using Mesh.Config.Views.Gateways;
using Mesh.Xds.Security;
using Mesh.Xds.Translation.Gateways;

namespace Mesh.Xds.Tests.Security;

public sealed class CredentialEntitlementTests
{
    private const string EdgeRouter = "router~10.0.0.9~ingress.edge~edge.svc.cluster.local";

    [Theory]
    [InlineData("router~10.0.0.9~ingress-7d9.shop~shop.svc.cluster.local", "kubernetes://shop/cert", true)]
    [InlineData("router~10.0.0.9~ingress-7d9.shop~shop.svc.cluster.local", "kubernetes://bank/cert", false)]
    [InlineData("router~10.0.0.9~ingress-7d9.shop~shop.svc.cluster.local", "kubernetes-gateway://shop/cert", true)]
    [InlineData("sidecar~10.0.0.9~web-1.shop~shop.svc.cluster.local", "kubernetes://shop/cert", false)]
    [InlineData("router~10.0.0.9~ingress", "kubernetes://shop/cert", false)]
    [InlineData("shop", "kubernetes://shop/cert", false)]
    public void Only_a_router_of_the_namespace_may_have_its_credentials(string nodeId, string resource, bool allowed) =>
        Assert.Equal(allowed, CredentialEntitlement.Allows(nodeId, resource, []));

    [Theory]
    [InlineData("kubernetes-gateway://certs/cert", true)]
    [InlineData("kubernetes-gateway://certs/cert-cacert", true)]
    [InlineData("kubernetes-gateway://certs/other", false)]
    [InlineData("kubernetes-gateway://bank/cert", false)]
    // The plain form never reaches across namespaces, whatever the gateway carries.
    [InlineData("kubernetes://certs/cert", false)]
    public void A_granted_credential_of_another_namespace_only_while_the_node_s_gateway_carries_it(string resource, bool allowed)
    {
        Assert.Equal(allowed, CredentialEntitlement.Allows(EdgeRouter, resource, [Carrying("kubernetes-gateway://certs/cert")]));
        // The grant revoked: the conversion no longer writes the name, and the same fetch is refused.
        Assert.False(CredentialEntitlement.Allows(EdgeRouter, resource, [Carrying("cert")]));
        Assert.False(CredentialEntitlement.Allows(EdgeRouter, resource, []));
    }

    [Fact]
    public async Task The_gateways_are_read_for_the_node_s_own_workload_and_only_when_they_decide()
    {
        var asked = new List<(string, string)>();
        var entitlement = new CredentialEntitlement((ns, workload) =>
        {
            asked.Add((ns, workload));
            return Task.FromResult<IReadOnlyList<BoundGateway>>([Carrying("kubernetes-gateway://certs/cert")]);
        });

        Assert.True(await entitlement.Allows(EdgeRouter, "kubernetes://edge/own"));
        Assert.False(await entitlement.Allows(EdgeRouter, "kubernetes://certs/cert"));
        Assert.Empty(asked);
        Assert.True(await entitlement.Allows(EdgeRouter, "kubernetes-gateway://certs/cert"));
        Assert.Equal([("edge", "ingress")], asked);
        Assert.False(await entitlement.Allows("sidecar~10.0.0.9~ingress.edge~edge.svc.cluster.local", "kubernetes-gateway://certs/cert"));
    }

    /// <summary>A converted Gateway of <paramref name="namespace"/> whose HTTPS server uses <paramref name="credentialName"/>.</summary>
    internal static BoundGateway Carrying(string credentialName, string @namespace = "edge") => new(@namespace, "edge.gateway.networking.k8s.io", GatewayView.From(JsonNode.Parse($$$"""
        {"selector": {"gateway.networking.k8s.io/gateway-name": "edge"}, "servers": [
          {"port": {"number": 443, "name": "https", "protocol": "HTTPS"}, "hosts": ["*"], "tls": {"mode": "SIMPLE", "credentialName": "{{{credentialName}}}"}}]}
        """)!.AsObject()), []);
}
