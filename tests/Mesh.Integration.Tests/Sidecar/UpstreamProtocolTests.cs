using System.Text.Json.Nodes;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Sidecar;

/// <summary>Istio's sidecar speaks the application's protocol, not the caller's: an HTTP/2 client reaches an
/// HTTP/1.1-only application on a <c>protocol: HTTP</c> port.</summary>
[Collection(PlainMeshCollection.Name)]
[Trait("Category", "Sidecar")]
public sealed class UpstreamProtocolTests(PlainMesh mesh)
{
    [Fact]
    public async Task An_HTTP2_client_reaches_an_HTTP1_only_application_on_an_HTTP_port()
    {
        const string host = "legacy.shop.svc.cluster.local";
        await mesh.Apply(PlainMesh.Service("legacy", host));
        await mesh.Workload("legacy", http1Only: true);
        await Timeouts.Until(async () => (await mesh.Send(host, "/")).Status == 200, TimeSpan.FromSeconds(30), "the client reaches legacy");

        for (var i = 0; i < 3; i++)
        {
            var reply = await mesh.Send(host, "/h2", "--http2-prior-knowledge");
            Assert.Equal(200, reply.Status);
            Assert.Equal("HTTP/1.1", JsonNode.Parse(reply.Body)!["protocol"]!.GetValue<string>());
        }
    }
}
