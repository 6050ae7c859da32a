using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Security;

[CollectionDefinition(Name)]
public sealed class SecureMeshCollection : ICollectionFixture<SecureMesh>
{
    public const string Name = "secure mesh";
}

/// <summary>PeerAuthentication and auto mTLS between real sidecars, with identities from the control plane's CA.</summary>
[Collection(SecureMeshCollection.Name)]
public class MutualTlsTests(SecureMesh mesh)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    private static string PeerAuthentication(string mode, string name = "default", string selector = "", string portLevel = "") => $$$"""
        apiVersion: security.istio.io/v1
        kind: PeerAuthentication
        metadata: {name: {{{name}}}, namespace: shop}
        spec:
        {{{selector}}}
          mtls: {mode: {{{mode}}}}
        {{{portLevel}}}
        """;

    [Fact]
    public async Task Sidecars_speak_mtls_and_the_application_learns_the_callers_spiffe_id()
    {
        var reply = await mesh.Send(mesh.Frontend, "/echo");
        Assert.Equal(200, reply.Status);
        var forwarded = SecureMesh.Echo(reply)["x-forwarded-client-cert"]?.GetValue<string>() ?? "";
        Assert.Contains("URI=spiffe://cluster.local/ns/shop/sa/frontend", forwarded);
        Assert.Contains("By=spiffe://cluster.local/ns/shop/sa/web", forwarded);
        // A plain-text caller cannot claim an identity through the header.
        using var spoof = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{mesh.Web.InboundPort}/echo");
        request.Headers.TryAddWithoutValidation("x-forwarded-client-cert", "URI=spiffe://cluster.local/ns/shop/sa/admin");
        var body = await (await spoof.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("sa/admin", body);
    }

    [Fact]
    public async Task Strict_refuses_plaintext_permissive_takes_both_and_disable_turns_auto_mtls_off()
    {
        try
        {
            await mesh.Apply(PeerAuthentication("STRICT"));
            await Timeouts.Until(async () => (await mesh.SendPlaintext("/echo")).Status == 0, Settle, "STRICT refuses plain text");
            Assert.Equal(200, (await mesh.Send(mesh.Frontend, "/echo")).Status);
            Assert.Equal(200, (await mesh.Send(mesh.Intruder, "/echo")).Status);

            await mesh.Apply(PeerAuthentication("PERMISSIVE"));
            await Timeouts.Until(async () => (await mesh.SendPlaintext("/echo")).Status == 200, Settle, "PERMISSIVE takes plain text");
            Assert.Equal(200, (await mesh.Send(mesh.Frontend, "/echo")).Status);

            // DISABLE: the server takes plain text only, and auto mTLS, as Istio's, stops sending it mTLS.
            await mesh.Apply(PeerAuthentication("DISABLE"));
            await Timeouts.Until(async () =>
            {
                var reply = await mesh.Send(mesh.Frontend, "/echo");
                return reply.Status == 200 && SecureMesh.Echo(reply)["x-forwarded-client-cert"] is null && (await mesh.SendPlaintext("/echo")).Status == 200;
            }, Settle, "DISABLE: plain text from the client sidecar");
            // A workload-level STRICT overrides the namespace's DISABLE, for one port only if so asked.
            await mesh.Apply(PeerAuthentication("UNSET", "web-strict", "  selector: {matchLabels: {app: web}}",
                $"  portLevelMtls: {{\"{mesh.Backend.Port}\": {{mode: STRICT}}}}"));
            await Timeouts.Until(async () => (await mesh.SendPlaintext("/echo")).Status == 0 && (await mesh.Send(mesh.Frontend, "/echo")).Status == 200,
                Settle, "the port-level STRICT applies to the application's port");
        }
        finally
        {
            await mesh.Delete("PeerAuthentication", "shop", "default");
            await TryDelete("PeerAuthentication", "web-strict");
            await TryDelete("DestinationRule", "web");
            await Timeouts.Until(async () => (await mesh.SendPlaintext("/echo")).Status == 200, Settle, "back to PERMISSIVE");
        }
    }

    [Fact]
    public async Task A_mesh_wide_strict_policy_in_the_root_namespace_applies_to_every_workload()
    {
        try
        {
            await mesh.Apply("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: istio-system}
                spec: {mtls: {mode: STRICT}}
                """);
            await Timeouts.Until(async () => (await mesh.SendPlaintext("/echo")).Status == 0, Settle, "mesh-wide STRICT refuses plain text");
            Assert.Equal(200, (await mesh.Send(mesh.Frontend, "/echo")).Status);
        }
        finally
        {
            await mesh.Delete("PeerAuthentication", "istio-system", "default");
            await Timeouts.Until(async () => (await mesh.SendPlaintext("/echo")).Status == 200, Settle, "back to PERMISSIVE");
        }
    }

    private async Task TryDelete(string kind, string name)
    {
        try
        {
            await mesh.Delete(kind, "shop", name);
        }
        catch (Grpc.Core.RpcException exception) when (exception.StatusCode == Grpc.Core.StatusCode.NotFound)
        {
        }
    }
}
