using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Envoy.Service.Discovery.V3;
using Envoy.Service.Secret.V3;
using Grpc.Net.Client;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Security;

/// <summary>Short-lived identities (20 s here) renewed at half-life under traffic, and served to local consumers.</summary>
[Collection(SecureMeshCollection.Name)]
public class RenewalTests(SecureMesh mesh)
{
    [Fact]
    public async Task Certificates_renewed_every_ten_seconds_under_continuous_traffic_fail_not_one_request()
    {
        try
        {
            await mesh.Apply("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: shop}
                spec: {mtls: {mode: STRICT}}
                """);
            await Timeouts.Until(async () => (await mesh.SendPlaintext("/echo")).Status == 0, TimeSpan.FromSeconds(20), "STRICT: only mTLS reaches web");
            var serials = new ConcurrentDictionary<string, ConcurrentDictionary<string, byte>>();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(45));
            var ok = 0;
            var failures = new ConcurrentQueue<string>();
            async Task Worker(bool http2)
            {
                using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
                while (!stop.IsCancellationRequested)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{mesh.Frontend.OutboundPort}/echo");
                    request.Headers.Host = $"{SecureMesh.Host}:9080";
                    if (http2)
                    {
                        request.Version = System.Net.HttpVersion.Version20;
                        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
                    }
                    try
                    {
                        using var response = await client.SendAsync(request);
                        if ((int)response.StatusCode == 200) Interlocked.Increment(ref ok);
                        else failures.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                    catch (HttpRequestException exception)
                    {
                        failures.Enqueue(exception.Message);
                    }
                }
            }
            async Task Watch()
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var sidecar in new[] { mesh.Frontend, mesh.Web })
                    {
                        var serial = (await sidecar.Admin("/certs"))["serial_number"]?.GetValue<string>();
                        if (serial is not null) serials.GetOrAdd(sidecar.Workload, _ => new()).TryAdd(serial, 0);
                    }
                    await Task.Delay(1000);
                }
            }
            await Task.WhenAll(Worker(false), Worker(false), Worker(false), Worker(true), Watch());
            Assert.True(failures.IsEmpty, $"{failures.Count} of {ok + failures.Count} requests failed, e.g. {string.Join(" | ", failures.Take(3))}");
            Assert.True(ok > 300, $"only {ok} requests in 45 s");
            // Issued for 20 s and renewed at half-life: 4 or 5 certificates each in 45 s.
            Assert.True(serials["frontend"].Count >= 4, $"frontend had {serials["frontend"].Count} certificates");
            Assert.True(serials["web"].Count >= 4, $"web had {serials["web"].Count} certificates");
        }
        finally
        {
            await mesh.Delete("PeerAuthentication", "shop", "default");
            await Timeouts.Until(async () => (await mesh.SendPlaintext("/echo")).Status == 200, TimeSpan.FromSeconds(20), "back to PERMISSIVE");
        }
    }

    [Fact]
    public async Task Local_sds_serves_default_and_rootca_and_pushes_every_renewal()
    {
        using var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancellationToken) =>
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(mesh.SdsSocket), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            },
        });
        using var call = new SecretDiscoveryService.SecretDiscoveryServiceClient(channel).StreamSecrets(deadline: DateTime.UtcNow.AddSeconds(40));
        var request = new DiscoveryRequest { TypeUrl = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret" };
        request.ResourceNames.Add(["default", "ROOTCA"]);
        await call.RequestStream.WriteAsync(request);

        async Task<(X509Certificate2 Leaf, string Roots)> Next()
        {
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            var response = call.ResponseStream.Current;
            var secrets = response.Resources.Select(r => r.Unpack<Secret>()).ToDictionary(s => s.Name);
            var tls = secrets["default"].TlsCertificate;
            var leaf = X509Certificate2.CreateFromPem(tls.CertificateChain.InlineBytes.ToStringUtf8(), tls.PrivateKey.InlineBytes.ToStringUtf8());
            await call.RequestStream.WriteAsync(new DiscoveryRequest { TypeUrl = response.TypeUrl, VersionInfo = response.VersionInfo, ResponseNonce = response.Nonce, ResourceNames = { "default", "ROOTCA" } });
            return (leaf, secrets["ROOTCA"].ValidationContext.TrustedCa.InlineBytes.ToStringUtf8());
        }
        var (first, roots) = await Next();
        Assert.Contains("spiffe://cluster.local/ns/shop/sa/web", first.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().Format(false));
        Assert.True(first.HasPrivateKey);
        Assert.Contains("BEGIN CERTIFICATE", roots);
        // The next push is the renewal (at half of 20 s).
        var (renewed, _) = await Next();
        Assert.NotEqual(first.SerialNumber, renewed.SerialNumber);
        Assert.True(renewed.NotAfter > first.NotAfter);
    }
}
