using Mesh.Integration.Tests.Infrastructure;
using Mesh.Integration.Tests.Security;

namespace Mesh.Integration.Tests.Edge;

/// <summary>Issue 14, "into the mesh": the gateway calls mesh services over mTLS under its own SPIFFE identity
/// (<c>spiffe://cluster.local/ns/istio-system/sa/ingress</c>, from the mesh CA as any sidecar's), and the services'
/// AuthorizationPolicies see that identity: web admits the gateway and no other workload.</summary>
public sealed class GatewayIdentityTests(SecureMesh mesh) : IClassFixture<SecureMesh>
{
    private const string Gateway = "ingress";

    [Fact]
    public async Task GatewayToSidecar_IsMutualTls_UnderTheGatewaysIdentity_AndAuthorizedByIt()
    {
        var tokenFile = Path.Combine(mesh.WorkDir, "ingress.token");
        await File.WriteAllTextAsync(tokenFile, await mesh.Token(IstioEdge.GatewayNamespace, Gateway));
        var gateway = mesh.Own(new GatewayProcess(mesh.WorkDir, Gateway, mesh.Silo.SecureXdsPort, IstioEdge.GatewayNamespace, listen: 1,
            extra: ["--service-account", Gateway, "--token-file", tokenFile, "--root-cert", mesh.RootFile]));
        var port = gateway.Ports[0];
        await mesh.Apply($$$$"""
            apiVersion: networking.istio.io/v1
            kind: Gateway
            metadata: {name: edge, namespace: {{{{IstioEdge.GatewayNamespace}}}}}
            spec:
              selector: {istio: ingressgateway}
              servers: [{port: {number: {{{{port}}}}, name: http, protocol: HTTP}, hosts: ["*/web.example.com"]}]
            ---
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: web-edge, namespace: shop}
            spec:
              hosts: [web.example.com]
              gateways: [{{{{IstioEdge.GatewayNamespace}}}}/edge]
              http: [{route: [{destination: {host: {{{{SecureMesh.Host}}}}, port: {number: 9080}}}]}]
            ---
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: strict, namespace: shop}
            spec: {mtls: {mode: STRICT}}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata: {name: only-the-gateway, namespace: shop}
            spec:
              selector: {matchLabels: {app: web}}
              action: ALLOW
              rules: [{from: [{source: {principals: [cluster.local/ns/{{{{IstioEdge.GatewayNamespace}}}}/sa/{{{{Gateway}}}}]}}]}]
            """);
        await gateway.WaitReady();

        Curl.Reply reply = new(0, "");
        await Timeouts.Until(async () => (reply = await Curl.Get($"http://web.example.com:{port}/through-the-edge", "--resolve", $"web.example.com:{port}:127.0.0.1")).Status == 200,
            TimeSpan.FromSeconds(30), "a request through the gateway reaching web");
        var forwarded = SecureMesh.Echo(new SecureMesh.Reply(reply.Status, reply.Body))["x-forwarded-client-cert"]!.GetValue<string>();
        Assert.Contains($"URI=spiffe://cluster.local/ns/{IstioEdge.GatewayNamespace}/sa/{Gateway}", forwarded, StringComparison.Ordinal);
        // Any other workload is refused by the same policy, so the gateway was admitted for its identity.
        await Timeouts.Until(async () => (await mesh.Send(mesh.Frontend)).Status == 403, TimeSpan.FromSeconds(30), "frontend refused by the policy");
        // And nothing reaches web in plain text, not even what the gateway would send without its certificate.
        Assert.NotEqual(200, (await mesh.SendPlaintext()).Status);
    }
}
