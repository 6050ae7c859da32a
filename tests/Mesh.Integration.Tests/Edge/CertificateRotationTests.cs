using System.Net;
using System.Security.Cryptography.X509Certificates;
using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Edge;

/// <summary>Issue 14: a certificate replaced with <c>meshctl secret create tls</c> while clients keep calling reaches
/// the gateway over SDS; no request fails, open connections carry on, new ones get the new certificate.</summary>
[Collection(IstioEdgeCollection.Name)]
public sealed class CertificateRotationTests(IstioEdge edge)
{
    private const string Host = "r.example.com";

    [Fact]
    public async Task ReplacedUnderLoad_NewConnectionsPresentIt_NoRequestFails()
    {
        var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(edge.Certificates.CaCert));
        var replacement = await edge.Certificates.Server("r2", Host);
        var expected = await OpenSsl.Fingerprint(replacement.Cert);
        using var stop = new CancellationTokenSource();
        // Four clients: two keep their connections, two open a new one for every request.
        var load = Enumerable.Range(0, 4).Select(i => Calls(ca, reuse: i < 2, stop.Token)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1));

        await edge.Secret("r-cred", replacement);
        await Timeouts.Until(async () => await OpenSsl.PresentedFingerprint(edge.Https, Host) == expected, TimeSpan.FromSeconds(20),
            "the gateway presenting the replaced certificate");
        await Task.Delay(TimeSpan.FromSeconds(1));
        stop.Cancel();

        var outcomes = await Task.WhenAll(load);
        Assert.All(outcomes, o => Assert.True(o.Failed == 0, $"{o.Failed} of {o.Sent} requests failed: {o.FirstError}"));
        Assert.All(outcomes, o => Assert.True(o.Sent > 5, $"only {o.Sent} requests were sent"));
        // The connections opened afterwards saw the new certificate, verified against the CA.
        Assert.Contains(outcomes.Where(o => !o.Reused), o => o.LastServed == expected);
    }

    private sealed record Outcome(bool Reused, int Sent, int Failed, string? FirstError, string? LastServed);

    private async Task<Outcome> Calls(X509Certificate2 ca, bool reuse, CancellationToken stop)
    {
        var (sent, failed, error, served) = (0, 0, (string?)null, (string?)null);
        HttpClient? client = null;
        while (!stop.IsCancellationRequested)
        {
            if (client is null || !reuse)
            {
                client?.Dispose();
                client = Client(ca, certificate => served = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
            }
            sent++;
            try
            {
                using var response = await client.GetAsync($"https://{Host}:{edge.Https}/rotation", CancellationToken.None);
                if (response.StatusCode != HttpStatusCode.OK) (failed, error) = (failed + 1, error ?? $"status {(int)response.StatusCode}");
            }
            catch (HttpRequestException exception)
            {
                (failed, error) = (failed + 1, error ?? exception.Message);
            }
        }
        client?.Dispose();
        return new Outcome(reuse, sent, failed, error, served is null ? null : string.Join(':', served.Chunk(2).Select(c => new string(c))));
    }

    /// <summary>HTTP/2 over TLS to the gateway (resolved to loopback), trusting only the test CA.</summary>
    private HttpClient Client(X509Certificate2 ca, Action<X509Certificate2> seen)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, token);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            },
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    if (certificate is null) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    var leaf = new X509Certificate2(certificate);
                    seen(leaf);
                    return chain.Build(leaf);
                },
            },
        };
        return new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact, Timeout = TimeSpan.FromSeconds(10) };
    }
}
