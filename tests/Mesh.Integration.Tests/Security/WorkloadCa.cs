using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Mesh.Api.V1;

namespace Mesh.Integration.Tests.Security;

/// <summary>Calls the secured xDS port as a workload would, without a sidecar: TLS checked against the mesh's roots,
/// and a bearer token or a client certificate as the credential.</summary>
public sealed class WorkloadCa(int port, string rootPem)
{
    public GrpcChannel Channel(X509Certificate2? clientCertificate = null)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPem(rootPem);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (certificate is not X509Certificate2 leaf || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    chain.ChainPolicy.CustomTrustStore.AddRange(roots);
                    return chain.Build(leaf);
                },
            },
        };
        if (clientCertificate is not null) handler.SslOptions.ClientCertificates = [clientCertificate];
        return GrpcChannel.ForAddress($"https://127.0.0.1:{port}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>A CSR for <paramref name="spiffeId"/> (none: no SAN) and its key.</summary>
    public static (string Csr, ECDsa Key) Csr(string? spiffeId)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(""), key, HashAlgorithmName.SHA256);
        if (spiffeId is not null)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddUri(new Uri(spiffeId));
            request.CertificateExtensions.Add(names.Build());
        }
        return (request.CreateSigningRequestPem(), key);
    }

    public async Task<CreateCertificateResponse> Create(string csr, string? token, X509Certificate2? clientCertificate = null, long validitySeconds = 0)
    {
        using var channel = Channel(clientCertificate);
        var headers = new Metadata();
        if (token is not null) headers.Add("authorization", $"Bearer {token}");
        return await new CertificateService.CertificateServiceClient(channel).CreateCertificateAsync(
            new CreateCertificateRequest { Csr = csr, ValiditySeconds = validitySeconds }, headers, DateTime.UtcNow.AddSeconds(20));
    }

    /// <summary>A workload certificate with its key, got with <paramref name="token"/>.</summary>
    public async Task<X509Certificate2> Certificate(string token, string spiffeId)
    {
        var (csr, key) = Csr(spiffeId);
        var response = await Create(csr, token);
        using var leaf = X509Certificate2.CreateFromPem(response.CertChain[0]);
        // SslStream on Linux wants a key it can export from an ephemeral certificate: go through PKCS#12.
        using var withKey = leaf.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
