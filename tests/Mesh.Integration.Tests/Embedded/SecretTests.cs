using System.Diagnostics;
using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Envoy.Service.Discovery.V3;
using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Embedded;

/// <summary>Gateway credentials as a user handles them: made with openssl, stored with meshctl, shown without their
/// key, served over SDS to the gateways of their namespace only, and rotated on an open stream.</summary>
public sealed class SecretTests(EmbeddedSilo fixture) : IClassFixture<EmbeddedSilo>
{
    private const string SecretType = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private string Server => fixture.Silo.ApiUrl;

    [Fact]
    public async Task Create_get_rotate_and_delete_reach_the_gateways_of_the_namespace_and_never_show_the_key()
    {
        var (cert, key) = await SelfSigned("first", "shop.example.com");
        var created = await Meshctl.Run(Server, "secret", "create", "tls", "shop-cert", "--cert", cert, "--key", key, "-n", "shop");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("secret/shop-cert created", created.Stdout);

        var table = await Meshctl.Run(Server, "secret", "get", "-A");
        Assert.Matches(@"(?m)^NAMESPACE\s+NAME\s+TYPE\s+SUBJECT\s+NOT-AFTER\s+AGE$", table.Stdout);
        Assert.Matches(@"(?m)^shop\s+shop-cert\s+kubernetes\.io/tls\s+CN=shop\.example\.com\s+", table.Stdout);
        var yaml = await Meshctl.Run(Server, "secret", "get", "shop-cert", "-n", "shop", "-o", "yaml");
        Assert.True(yaml.ExitCode == 0, yaml.ToString());
        Assert.Contains("shop.example.com", yaml.Stdout);
        Assert.Contains("sha256Fingerprint", yaml.Stdout);
        Assert.DoesNotContain(BodyLine(key), yaml.Stdout);
        Assert.DoesNotContain(BodyLine(cert), yaml.Stdout);

        // A router of the namespace gets it; a sidecar of the namespace and a router of another do not.
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fixture.Silo.XdsPort}");
        var ads = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(channel);
        using var gateway = ads.StreamAggregatedResources(deadline: DateTime.UtcNow.AddMinutes(2));
        await gateway.RequestStream.WriteAsync(Request("router~127.0.0.1~ingress-1.shop~shop.svc.cluster.local"));
        var first = await Next(gateway);
        var served = first.Resources.Single().Unpack<Secret>();
        Assert.Equal(await File.ReadAllTextAsync(cert), served.TlsCertificate.CertificateChain.InlineBytes.ToStringUtf8());
        Assert.Equal(await File.ReadAllTextAsync(key), served.TlsCertificate.PrivateKey.InlineBytes.ToStringUtf8());
        foreach (var stranger in new[] { "sidecar~127.0.0.1~web-1.shop~shop.svc.cluster.local", "router~127.0.0.1~ingress-1.bank~bank.svc.cluster.local" })
        {
            using var call = ads.StreamAggregatedResources(deadline: DateTime.UtcNow.AddSeconds(30));
            await call.RequestStream.WriteAsync(Request(stranger));
            Assert.Empty((await Next(call)).Resources);
        }

        // A replacement reaches the open stream.
        await gateway.RequestStream.WriteAsync(Request("router~127.0.0.1~ingress-1.shop~shop.svc.cluster.local", first));
        var (newCert, newKey) = await SelfSigned("second", "shop.example.com");
        var replaced = await Meshctl.Run(Server, "secret", "create", "tls", "shop-cert", "--cert", newCert, "--key", newKey, "-n", "shop");
        Assert.Contains("secret/shop-cert replaced", replaced.Stdout);
        var rotated = (await Next(gateway)).Resources.Single().Unpack<Secret>();
        Assert.Equal(await File.ReadAllTextAsync(newCert), rotated.TlsCertificate.CertificateChain.InlineBytes.ToStringUtf8());

        // A key that is not the certificate's is refused with its field; the stored one stays.
        var refused = await Meshctl.Run(Server, "secret", "create", "tls", "shop-cert", "--cert", cert, "--key", newKey, "-n", "shop");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Secret shop/shop-cert: tls.key: does not match the certificate", refused.Stderr);

        var deleted = await Meshctl.Run(Server, "secret", "delete", "shop-cert", "-n", "shop");
        Assert.Contains("secret \"shop-cert\" deleted", deleted.Stdout);
        Assert.Empty((await Next(gateway)).Resources);
        var gone = await Meshctl.Run(Server, "secret", "get", "shop-cert", "-n", "shop");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("not found", gone.Stderr);

        // The audit trail says who did what, and holds no key.
        var audit = await Meshctl.Run(Server, "audit", "-n", "shop", "-o", "json");
        Assert.Contains("create-secret", audit.Stdout);
        Assert.Contains("delete-secret", audit.Stdout);
        Assert.DoesNotContain(BodyLine(key), audit.Stdout);
    }

    private static DiscoveryRequest Request(string nodeId, DiscoveryResponse? answering = null) => new()
    {
        Node = new Node { Id = nodeId },
        TypeUrl = SecretType,
        ResourceNames = { "kubernetes://shop/shop-cert" },
        ResponseNonce = answering?.Nonce ?? "",
        VersionInfo = answering?.VersionInfo ?? "",
    };

    private static async Task<DiscoveryResponse> Next(AsyncDuplexStreamingCall<DiscoveryRequest, DiscoveryResponse> call)
    {
        if (!await call.ResponseStream.MoveNext(CancellationToken.None).Within(Patience, "an SDS response")) throw new InvalidOperationException("the stream ended");
        return call.ResponseStream.Current;
    }

    private async Task<(string Cert, string Key)> SelfSigned(string prefix, string host)
    {
        var cert = Path.Combine(fixture.WorkDir, $"{prefix}-cert.pem");
        var key = Path.Combine(fixture.WorkDir, $"{prefix}-key.pem");
        var start = new ProcessStartInfo("openssl") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30",
            "-subj", $"/CN={host}", "-addext", $"subjectAltName=DNS:{host}", "-keyout", key, "-out", cert }) start.ArgumentList.Add(argument);
        using var openssl = Process.Start(start)!;
        var errors = openssl.StandardError.ReadToEndAsync();
        await openssl.WaitForExitAsync().Within(Patience, "openssl req");
        Assert.True(openssl.ExitCode == 0, await errors);
        return (cert, key);
    }

    private static string BodyLine(string pemFile) => File.ReadAllLines(pemFile)[1];
}
