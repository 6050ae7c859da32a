using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Mesh.Api.V1;
using Mesh.Integration.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Mesh.Integration.Tests.Security;

/// <summary>Nobody obtains an identity, a secret or a config they are not entitled to: certificates, tokens and the
/// secured xDS port, against a real silo.</summary>
[Collection(SecureMeshCollection.Name)]
public class IdentityTests(SecureMesh mesh)
{
    private const string Frontend = "spiffe://cluster.local/ns/shop/sa/frontend";

    [Fact]
    public async Task A_token_for_one_service_account_gets_that_identity_whatever_the_csr_asks()
    {
        var token = await mesh.Token("shop", "frontend");
        var (plain, _) = WorkloadCa.Csr(null);
        var issued = await mesh.Ca.Create(plain, token);
        Assert.Equal(Frontend, issued.SpiffeId);
        using var leaf = X509Certificate2.CreateFromPem(issued.CertChain[0]);
        Assert.Contains(Frontend, leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().Format(false));

        var (other, _) = WorkloadCa.Csr("spiffe://cluster.local/ns/shop/sa/web");
        var refused = await Assert.ThrowsAsync<RpcException>(() => mesh.Ca.Create(other, token));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("sa/web", refused.Status.Detail);
        await Timeouts.Until(() => Task.FromResult(mesh.Silo.Process.Log().Contains("authenticated as spiffe://cluster.local/ns/shop/sa/frontend but asked for spiffe://cluster.local/ns/shop/sa/web")),
            TimeSpan.FromSeconds(10), "the refused attempt is logged");
        // Minting the token is a write, in the namespace's audit trail.
        using var api = Grpc.Net.Client.GrpcChannel.ForAddress(mesh.Silo.ApiUrl);
        var trail = await new AuditService.AuditServiceClient(api).ListAsync(new AuditListRequest { Namespace = "shop", Since = "1h" });
        Assert.Contains(trail.Entries, e => e.Verb == "create-token" && e.Kind == "BootstrapToken" && e.Name == "frontend" && e.User == "local");
    }

    [Fact]
    public async Task A_sidecar_holding_a_token_for_another_service_account_never_gets_an_identity()
    {
        using var impostor = await mesh.Sidecar("impostor", "shop", "web", null, tokenServiceAccount: "frontend");
        await Timeouts.Until(() => Task.FromResult(impostor.Process.Log().Contains("PermissionDenied")), TimeSpan.FromSeconds(30), "the impostor is refused");
        using var http = new HttpClient();
        var ready = await http.GetAsync($"http://127.0.0.1:{impostor.HealthPort}/healthz/ready");
        Assert.NotEqual(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("Refused a certificate to sidecar~127.0.0.1~impostor.shop", mesh.Silo.Process.Log());
    }

    [Fact]
    public async Task Forged_expired_and_malformed_tokens_are_refused()
    {
        var (csr, _) = WorkloadCa.Csr(null);
        async Task<string> Refused(string token)
        {
            var exception = await Assert.ThrowsAsync<RpcException>(() => mesh.Ca.Create(csr, token));
            Assert.Equal(StatusCode.Unauthenticated, exception.StatusCode);
            return exception.Status.Detail;
        }
        // Right issuer, audience and shape, signed by a key that is not the mesh's.
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var real = new JsonWebTokenHandler().ReadJsonWebToken(await mesh.Token("shop", "frontend"));
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "mesh", Audience = "mesh-ca",
            Subject = new ClaimsIdentity([new Claim("sub", "system:serviceaccount:shop:web")]),
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(forger) { KeyId = real.Kid }, SecurityAlgorithms.EcdsaSha256),
        });
        Assert.Contains("signature", await Refused(forged));

        // Authenticated before the body is read: a 1 MB message without a valid credential is UNAUTHENTICATED, not a
        // body-size error (the message is never read) and not a parsing error.
        var huge = await Assert.ThrowsAsync<RpcException>(() => mesh.Ca.Create(new string('A', 1024 * 1024), "not-a-token"));
        Assert.Equal(StatusCode.Unauthenticated, huge.StatusCode);

        var shortLived = await mesh.Token("shop", "frontend", ttlSeconds: 1);
        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.Contains("expired", await Refused(shortLived));

        Assert.Contains("not a JWT", await Refused("not-a-token"));
        // A payload changed after signing (another service account) breaks the signature.
        var parts = (await mesh.Token("shop", "frontend")).Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("shop:frontend", "shop:web");
        Assert.Contains("signature", await Refused($"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}"));
        // No credential at all.
        var none = await Assert.ThrowsAsync<RpcException>(() => mesh.Ca.Create(csr, null));
        Assert.Equal(StatusCode.Unauthenticated, none.StatusCode);
    }

    [Fact]
    public async Task Fuzzed_csrs_and_tokens_are_refused_cleanly_and_the_server_stays_up()
    {
        var token = await mesh.Token("shop", "frontend");
        var (good, _) = WorkloadCa.Csr(Frontend);
        var random = new Random(20261126);
        var body = good.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).ToArray();
        var der = Convert.FromBase64String(string.Concat(body));
        for (var i = 0; i < 150; i++)
        {
            var mutated = (byte[])der.Clone();
            var flips = random.Next(1, 6);
            for (var f = 0; f < flips; f++) mutated[random.Next(mutated.Length)] ^= (byte)random.Next(1, 256);
            var csr = (i % 5) switch
            {
                0 => PemEncoding.WriteString("CERTIFICATE REQUEST", mutated),
                1 => PemEncoding.WriteString("CERTIFICATE REQUEST", mutated[..random.Next(1, mutated.Length)]),
                2 => new string((char)random.Next(32, 127), random.Next(1, 2000)),
                3 => PemEncoding.WriteString("CERTIFICATE REQUEST", RandomNumberGenerator.GetBytes(random.Next(1, 600))),
                _ => good.Replace("MI", "MJ"),
            };
            var exception = await Assert.ThrowsAsync<RpcException>(() => mesh.Ca.Create(csr, token));
            Assert.True(exception.StatusCode is StatusCode.InvalidArgument or StatusCode.PermissionDenied, $"csr #{i}: {exception.Status}");
        }
        var huge = await Assert.ThrowsAsync<RpcException>(() => mesh.Ca.Create(new string('A', 20_000), token));
        Assert.Equal(StatusCode.InvalidArgument, huge.StatusCode);
        var tokenParts = token.Split('.');
        for (var i = 0; i < 100; i++)
        {
            var chars = token.ToCharArray();
            for (var f = 0; f < random.Next(1, 4); f++) chars[random.Next(chars.Length)] = (char)random.Next(33, 127);
            var fuzzed = (i % 4) switch
            {
                0 => new string(chars),
                1 => string.Join('.', tokenParts.Select(p => new string([.. p.Reverse()]))),
                2 => Convert.ToBase64String(RandomNumberGenerator.GetBytes(random.Next(1, 300))),
                _ => $"{tokenParts[0]}.{tokenParts[1]}",
            };
            if (fuzzed == token) continue;
            var exception = await Assert.ThrowsAsync<RpcException>(() => mesh.Ca.Create(good, fuzzed));
            Assert.Equal(StatusCode.Unauthenticated, exception.StatusCode);
        }
        Assert.True(await mesh.Silo.IsHealthy(), "the silo is healthy after the fuzzing");
        Assert.Equal(Frontend, (await mesh.Ca.Create(good, token)).SpiffeId);
    }

    [Fact]
    public async Task The_secured_port_binds_a_node_to_its_identity_and_serves_a_workloads_policy_to_it_alone()
    {
        using var certificate = await mesh.Ca.Certificate(await mesh.Token("shop", "frontend"), Frontend);
        using var channel = mesh.Ca.Channel(certificate);
        var ads = new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(channel);

        // Claiming another namespace in the node metadata is refused.
        var liar = Node("sidecar~127.0.0.1~x.other~other.svc.cluster.local", "other", "frontend");
        var refused = await Assert.ThrowsAsync<RpcException>(() => FirstResponse(ads, liar, "virtualInbound|other|x"));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

        // Its own namespace is fine, but another workload's inbound listener (its policy) is not sent.
        var honest = Node("sidecar~127.0.0.1~probe.shop~shop.svc.cluster.local", "shop", "frontend");
        var response = await FirstResponse(ads, honest, "virtualInbound|shop|web");
        Assert.Empty(response.Resources);
        Assert.Contains("virtualInbound|shop|web", response.RemovedResources);

        // Nor does naming the other pod in an Istio-shaped node id help: web's WorkloadEntry belongs to sa/web.
        var posing = Node("sidecar~127.0.0.1~web.shop~shop.svc.cluster.local", "shop", "frontend");
        var posed = await FirstResponse(ads, posing, "virtualInbound|shop|web");
        Assert.Empty(posed.Resources);
        Assert.Contains("virtualInbound|shop|web", posed.RemovedResources);
        // A proxy whose pod has no WorkloadEntry yet still gets its own (namespace-wide policy only).
        var own = await FirstResponse(ads, honest, "virtualInbound|shop|probe");
        Assert.Single(own.Resources);

        // Without any credential the secured port answers nothing.
        using var anonymous = mesh.Ca.Channel();
        var unauthenticated = await Assert.ThrowsAsync<RpcException>(() =>
            FirstResponse(new AggregatedDiscoveryService.AggregatedDiscoveryServiceClient(anonymous), honest, "virtualInbound|shop|probe"));
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);
    }

    [Fact]
    public async Task Rotating_the_root_keeps_traffic_flowing_and_pushes_the_new_bundle_to_sidecars()
    {
        var before = await mesh.Security.GetCaAsync(new GetCaRequest());
        var rotated = await mesh.Security.RotateCaAsync(new RotateCaRequest());
        Assert.Equal(before.Roots.Count + 1, rotated.Roots.Count);
        Assert.Contains(before.Roots[0].Sha256Fingerprint, rotated.Roots.Select(r => r.Sha256Fingerprint));
        // The new root is trusted at once and signs only once it has had time to reach every proxy.
        var added = rotated.Roots.Single(r => before.Roots.All(b => b.Sha256Fingerprint != r.Sha256Fingerprint));
        var newRoot = added.Sha256Fingerprint;
        await Timeouts.Until(async () => (await mesh.Web.Admin("/certs"))["trusted_roots"]!.AsArray().Any(r => r!.GetValue<string>() == newRoot),
            TimeSpan.FromSeconds(20), "ROOTCA with the new root reaches the web sidecar");
        // Renewals now come from the new root; both kinds of certificate meet while traffic flows.
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(200, (await mesh.Send(mesh.Frontend, "/echo")).Status);
            await Task.Delay(500);
        }
        await Timeouts.Until(async () => ((await mesh.Frontend.Admin("/certs"))["issuer"]?.GetValue<string>() ?? "") == added.Subject,
            TimeSpan.FromSeconds(40), "the frontend renewed onto the new root");
        Assert.Equal(200, (await mesh.Send(mesh.Frontend, "/echo")).Status);
    }

    private static Node Node(string id, string @namespace, string serviceAccount)
    {
        var node = new Node { Id = id, Metadata = new Struct() };
        node.Metadata.Fields["NAMESPACE"] = Value.ForString(@namespace);
        node.Metadata.Fields["SERVICE_ACCOUNT"] = Value.ForString(serviceAccount);
        return node;
    }

    private static async Task<DeltaDiscoveryResponse> FirstResponse(AggregatedDiscoveryService.AggregatedDiscoveryServiceClient ads, Node node, string listener)
    {
        using var call = ads.DeltaAggregatedResources(deadline: DateTime.UtcNow.AddSeconds(15));
        var request = new DeltaDiscoveryRequest { Node = node, TypeUrl = "type.googleapis.com/envoy.config.listener.v3.Listener" };
        request.ResourceNamesSubscribe.Add(listener);
        await call.RequestStream.WriteAsync(request);
        if (!await call.ResponseStream.MoveNext(CancellationToken.None)) throw new InvalidOperationException("the stream ended without a response");
        return call.ResponseStream.Current;
    }
}
