using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Mesh.Sidecar.Config.Gateway;

/// <summary>The TLS a filter chain terminates (Envoy's DownstreamTlsContext): its certificate and client-certificate
/// roots by SDS secret name, read from the current model at each handshake (so a replaced secret serves the next
/// handshake, and a connection keeps the one it began with), and the protocol parameters.</summary>
/// <param name="TrustSecret">The secret with the roots client certificates must chain to; null: none is asked for.</param>
/// <param name="RequireClientCertificate">A client without a certificate is refused (MUTUAL); otherwise a certificate
/// that is sent is verified (OPTIONAL_MUTUAL).</param>
/// <param name="CipherSuites">TLS 1.2 suites allowed, in order (the TLS 1.3 ones are always on, as in Envoy); null:
/// the platform's defaults.</param>
public sealed record DownstreamTls(
    string CertificateSecret,
    string? TrustSecret,
    bool RequireClientCertificate,
    SslProtocols Protocols,
    IReadOnlyList<TlsCipherSuite>? CipherSuites,
    IReadOnlyList<SslApplicationProtocol> ApplicationProtocols)
{
    /// <summary>The cipher suite policy SslStream takes (built once; only Linux and macOS have one).</summary>
    public CipherSuitesPolicy? CipherPolicy { get; } = CipherSuites is not null && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        ? new CipherSuitesPolicy(CipherSuites.Concat(Tls13Suites))
        : null;

    /// <summary>Envoy's cipher_suites apply to TLS 1.2 and below; TLS 1.3's are not configurable and stay on.</summary>
    public static IReadOnlyList<TlsCipherSuite> Tls13Suites { get; } =
        [TlsCipherSuite.TLS_AES_128_GCM_SHA256, TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256];
}

/// <summary>An SDS secret a gateway terminates TLS with: a certificate (its chain and key, ready for SslStream) or
/// the roots client certificates are verified against.</summary>
public sealed record TlsSecret(string Name, SslStreamCertificateContext? Certificate, X509Certificate2Collection? TrustedCa);
