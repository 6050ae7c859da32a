using System.Text.Json.Nodes;
using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Net.Client;
using Mesh.Integration.Tests.Infrastructure;
using static Mesh.Integration.Tests.GatewayApi.GatewayApiEdge;

namespace Mesh.Integration.Tests.GatewayApi;

/// <summary>An HTTPS listener of the Gateway <c>edge/edge</c> whose certificate is a Secret of another namespace: served
/// (a real handshake presents it) only while a ReferenceGrant in that namespace lets Gateways of <c>edge</c> use it.
/// Each test is named after the upstream conformance test it stands for, and has a namespace and host of its own.</summary>
[Collection(GatewayApiEdgeCollection.Name)]
public sealed class GatewayApiSecretReferenceTests(GatewayApiEdge edge)
{
    private const string SecretType = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";
    private const string FromEdge = "{group: gateway.networking.k8s.io, kind: Gateway, namespace: edge}";

    [Fact]
    public async Task GatewaySecretReferenceGrantAllInNamespace() =>
        await WithListener("certs-all", "all.certs.example.com", Grant("certs-all", "all", FromEdge, "{group: \"\", kind: Secret}"), Served);

    [Fact]
    public async Task GatewaySecretReferenceGrantSpecific()
    {
        const string ns = "certs-specific";
        await WithListener(ns, "specific.certs.example.com", Grant(ns, "specific", FromEdge, "{group: \"\", kind: Secret, name: certificate}"), async (_, host, certificate) =>
        {
            await Served(ns, host, certificate);

            // Revoked: the listener is no longer programmed with it, no handshake presents it, SDS refuses it.
            await edge.Delete("ReferenceGrant", ns, "specific");
            await UntilListenerReason(ns, "RefNotPermitted");
            await Timeouts.Until(async () => await OpenSsl.PresentedFingerprint(edge.Https, host) != certificate, TimeSpan.FromSeconds(30),
                "the gateway to stop presenting the revoked certificate");
            Assert.Null(await FetchCertificate(ns));
        });
    }

    [Fact]
    public async Task GatewaySecretMissingReferenceGrant() => await WithListener("certs-missing", "missing.certs.example.com", "", Refused);

    [Fact]
    public async Task GatewaySecretInvalidReferenceGrant()
    {
        // The upstream test's grants, each wrong in one way.
        const string ns = "certs-invalid", to = "{group: \"\", kind: Secret, name: certificate}";
        await WithListener(ns, "invalid.certs.example.com", string.Concat(
            Grant("elsewhere", "wrong-namespace", FromEdge, to),
            Grant(ns, "wrong-from-group", "{group: not-the-group, kind: Gateway, namespace: edge}", to),
            Grant(ns, "wrong-from-kind", "{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: edge}", to),
            Grant(ns, "wrong-from-namespace", "{group: gateway.networking.k8s.io, kind: Gateway, namespace: not-edge}", to),
            Grant(ns, "wrong-to-group", FromEdge, "{group: not-the-group, kind: Secret, name: certificate}"),
            Grant(ns, "wrong-to-kind", FromEdge, "{group: \"\", kind: Service, name: certificate}"),
            Grant(ns, "wrong-to-name", FromEdge, "{group: \"\", kind: Secret, name: not-the-certificate}")), Refused);
    }

    /// <summary>Secret <c>NS/certificate</c> for <paramref name="host"/>, <paramref name="grants"/>, a listener of
    /// <c>edge/edge</c> named NS that names the Secret, and a route on it; then <paramref name="test"/> (given the host and
    /// the namespace, the host and the certificate's fingerprint). The Gateway is put back as it was afterwards.</summary>
    private async Task WithListener(string ns, string host, string grants, Func<string, string, string, Task> test)
    {
        var (cert, key) = await edge.Certificates.Server(ns, host);
        var created = await Meshctl.Run(edge.Silo.ApiUrl, ["secret", "create", "tls", "certificate", "--cert", cert, "--key", key, "-n", ns]);
        Assert.True(created.ExitCode == 0, created.ToString());
        if (grants.Length > 0) await edge.Apply(grants);
        await edge.Apply(Route(GatewayNamespace, ns, host, "- backendRefs: [{name: web-v1, namespace: shop, port: 8080}]",
            parent: $"{{name: edge, namespace: edge, sectionName: {ns}}}"));
        try
        {
            await edge.ApplyGateway($"- {{name: {ns}, port: {edge.Https}, protocol: HTTPS, hostname: {host}, "
                + $"tls: {{mode: Terminate, certificateRefs: [{{group: \"\", kind: Secret, name: certificate, namespace: {ns}}}]}}, allowedRoutes: {{namespaces: {{from: All}}}}}}");
            await test(ns, host, await OpenSsl.Fingerprint(cert));
        }
        finally
        {
            await edge.ApplyGateway();
        }
    }

    /// <summary>The listener resolves, HTTPS to the host answers through it, and the handshake presents the certificate
    /// of the other namespace, which SDS gives the gateway.</summary>
    private async Task Served(string ns, string host, string certificate)
    {
        await UntilListenerReason(ns, "ResolvedRefs");
        await edge.UntilAnswers(host, "/", r => Backend(r) == "web-v1", $"HTTPS to {host} with the certificate of {ns}", https: true);
        Assert.Equal(certificate, await OpenSsl.PresentedFingerprint(edge.Https, host));
        Assert.NotNull(await FetchCertificate(ns));
    }

    /// <summary>The listener says RefNotPermitted and is not programmed; the gateway keeps serving its other listeners,
    /// no handshake presents the certificate, and SDS refuses it to the gateway.</summary>
    private async Task Refused(string ns, string host, string certificate)
    {
        var conditions = await UntilListenerReason(ns, "RefNotPermitted");
        Assert.Equal("False", Condition(conditions, "Programmed")["status"]!.GetValue<string>());
        await edge.UntilAnswers("secure.example.com", "/", r => r.Status is 200 or 404, "the gateway's own HTTPS listener", https: true);
        Assert.NotEqual(certificate, await OpenSsl.PresentedFingerprint(edge.Https, host));
        Assert.NotEqual(200, (await edge.Send(host, "/", https: true)).Status);
        Assert.Null(await FetchCertificate(ns));
    }

    /// <summary>The conditions of listener <paramref name="name"/> once its ResolvedRefs reason is <paramref name="reason"/>.</summary>
    private async Task<JsonNode> UntilListenerReason(string name, string reason)
    {
        JsonNode? conditions = null;
        await Timeouts.Until(async () =>
        {
            var listeners = (await edge.Status("gtw", GatewayNamespace, "edge"))?["listeners"] as JsonArray;
            conditions = listeners?.OfType<JsonObject>().FirstOrDefault(l => l["name"]?.GetValue<string>() == name)?["conditions"];
            return conditions is not null && Condition(conditions, "ResolvedRefs")["reason"]?.GetValue<string>() == reason;
        }, TimeSpan.FromSeconds(30), $"listener {name}: ResolvedRefs {reason}");
        return conditions!;
    }

    /// <summary>What SDS gives the gateway's node (another stream under the same workload) for <c>kubernetes-gateway://NS/certificate</c>: the certificate, or
    /// null when it is not entitled to it.</summary>
    private async Task<string?> FetchCertificate(string ns)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{edge.Silo.XdsPort}");
        var ads = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(channel);
        using var call = ads.StreamAggregatedResources(deadline: DateTime.UtcNow.AddSeconds(30));
        var node = new Node { Id = $"router~127.0.0.9~{edge.Gateway.Workload}.{GatewayNamespace}~{GatewayNamespace}.svc.cluster.local" };
        await call.RequestStream.WriteAsync(new DiscoveryRequest { Node = node, TypeUrl = SecretType, ResourceNames = { $"kubernetes-gateway://{ns}/certificate" } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var secret = call.ResponseStream.Current.Resources.SingleOrDefault()?.Unpack<Envoy.Extensions.TransportSockets.Tls.V3.Secret>();
        await call.RequestStream.CompleteAsync();
        return secret?.TlsCertificate.CertificateChain.InlineBytes.ToStringUtf8();
    }

    private static string Grant(string ns, string name, string from, string to) => $$"""

        ---
        apiVersion: gateway.networking.k8s.io/v1beta1
        kind: ReferenceGrant
        metadata: {name: {{name}}, namespace: {{ns}}}
        spec:
          from: [{{from}}]
          to: [{{to}}]

        """;

    private static JsonObject Condition(JsonNode conditions, string type)
        => conditions.AsArray().OfType<JsonObject>().Single(c => c["type"]!.GetValue<string>() == type);
}
