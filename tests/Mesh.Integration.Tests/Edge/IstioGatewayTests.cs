using System.Text.Json.Nodes;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Edge;

/// <summary>Issue 14: a client outside the mesh reaches it through the gateway, configured with Istio's Gateway and
/// VirtualService; curl and openssl s_client are the clients, as a user would try it.</summary>
[Collection(IstioEdgeCollection.Name)]
public sealed class IstioGatewayTests(IstioEdge edge)
{
    [Fact]
    public async Task TwoHttpsHosts_OnOnePort_EachPresentsItsOwnCertificate_ChosenBySni()
    {
        foreach (var host in new[] { "a.example.com", "b.example.com" })
        {
            Assert.Equal(await OpenSsl.Fingerprint(edge.Served[host].Cert), await OpenSsl.PresentedFingerprint(edge.Https, host));
            var reply = await edge.Send(host, edge.Https, "/hello", https: true);
            Assert.Equal(200, reply.Status);
            Assert.Equal("v1", Version(reply));
        }
    }

    [Fact]
    public async Task MinProtocolVersion_RefusesOlderTls_ForThatServerOnly()
    {
        Assert.Equal(200, (await edge.Send("a.example.com", edge.Https, "/", https: true, "--tls-max", "1.2")).Status);
        Assert.Equal(0, (await edge.Send("b.example.com", edge.Https, "/", https: true, "--tls-max", "1.2")).Status);
        Assert.Equal(200, (await edge.Send("b.example.com", edge.Https, "/", https: true, "--tlsv1.3")).Status);
    }

    [Fact]
    public async Task Mutual_RefusesAClientWithoutACertificate_AndAdmitsOneSignedByTheCredentialsCa()
    {
        var (cert, key) = edge.ClientCertificate;
        Assert.Equal(0, (await edge.Send("c.example.com", edge.Mutual, "/", https: true)).Status);
        Assert.Equal(200, (await edge.Send("c.example.com", edge.Mutual, "/", https: true, "--cert", cert, "--key", key)).Status);
    }

    [Fact]
    public async Task OptionalMutual_AdmitsClientsWithAndWithoutCertificates()
    {
        var (cert, key) = edge.ClientCertificate;
        Assert.Equal(200, (await edge.Send("d.example.com", edge.OptionalMutual, "/", https: true)).Status);
        Assert.Equal(200, (await edge.Send("d.example.com", edge.OptionalMutual, "/", https: true, "--cert", cert, "--key", key)).Status);
    }

    [Fact]
    public async Task Passthrough_ForwardsTheTlsBytesBySni_WithoutTerminating()
    {
        // The certificate the client sees is the backend's own: the gateway did not terminate.
        Assert.Equal(await OpenSsl.Fingerprint(edge.TlsBackendCertificate.Cert), await OpenSsl.PresentedFingerprint(edge.Passthrough, "p.example.com"));
        var reply = await edge.Send("p.example.com", edge.Passthrough, "/", https: true);
        Assert.Equal(200, reply.Status);
        Assert.Contains("s_server", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpsRedirect_AnswersPlainHttpWith301ToHttps()
    {
        var reply = await edge.Send("a.example.com", edge.Http, "/cart?item=1", https: false, "-D", "-");
        Assert.Equal(301, reply.Status);
        var location = reply.Body.Split('\n').Single(l => l.StartsWith("location:", StringComparison.OrdinalIgnoreCase))[9..].Trim();
        Assert.StartsWith("https://a.example.com", location, StringComparison.Ordinal);
        Assert.EndsWith("/cart?item=1", location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeaderCanary_AtTheEdge_SendsMarkedRequestsToV2()
    {
        Assert.Equal("v2", Version(await edge.Send("a.example.com", edge.Https, "/", https: true, "-H", "x-canary: yes")));
        Assert.Equal("v1", Version(await edge.Send("a.example.com", edge.Https, "/", https: true)));
    }

    [Fact]
    public async Task JwtRequiredOnApi_ByTheGatewaysRequestAuthenticationAndAuthorizationPolicy()
    {
        string[] token = ["-H", $"authorization: Bearer {JwtIssuer.Jwt("alice")}"];
        string[] forged = ["-H", $"authorization: Bearer {JwtIssuer.Jwt("alice", key: JwtIssuer.Forger)}"];
        Assert.Equal(403, (await edge.Send("a.example.com", edge.Https, "/api/orders", https: true)).Status);
        Assert.Equal(401, (await edge.Send("a.example.com", edge.Https, "/api/orders", https: true, forged)).Status);
        var admitted = await edge.Send("a.example.com", edge.Https, "/api/orders", https: true, token);
        Assert.Equal(200, admitted.Status);
        Assert.Equal("v1", Version(admitted));
        // Outside /api no token is needed.
        Assert.Equal(200, (await edge.Send("a.example.com", edge.Https, "/catalog", https: true)).Status);
    }

    [Fact]
    public async Task AHostNoServerServes_IsNotFound()
    {
        Assert.Equal(404, (await edge.Send("nobody.example.com", edge.Http, "/")).Status);
    }

    private static string? Version(Curl.Reply reply) => JsonNode.Parse(reply.Body)?["version"]?.GetValue<string>();
}
