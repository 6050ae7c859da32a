using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.Xds.Resources;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Security;

/// <summary>The mTLS peer of one inbound connection: its SPIFFE id and certificate hash, read from the certificate
/// once, at the handshake (<see cref="InboundTls"/> sets it as a connection feature), instead of on every request
/// the connection carries.</summary>
public sealed class PeerCertificate
{
    private ForwardedHeader? _forwarded;

    public PeerCertificate(X509Certificate2 certificate)
    {
        Certificate = certificate;
        Principal = SpiffeId.Of(certificate)?.ToString();
        Hash = Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The peer's SPIFFE id (its certificate's URI SAN), or null when it has none.</summary>
    public string? Principal { get; }

    /// <summary>The SHA-256 of the peer's certificate, lower-case hex (Envoy's <c>Hash</c> in x-forwarded-client-cert).</summary>
    public string Hash { get; }

    /// <summary>The request's peer: the connection's, or one read now when the connection has none (a certificate
    /// that did not come through <see cref="InboundTls"/>).</summary>
    public static PeerCertificate? Of(HttpContext context)
        => context.Features.Get<PeerCertificate>()
            ?? (context.Connection.ClientCertificate is { } certificate ? new PeerCertificate(certificate) : null);

    /// <summary>Envoy's <c>x-forwarded-client-cert</c> for this peer, as seen by <paramref name="by"/> (this workload's
    /// SPIFFE id); null when the peer has no SPIFFE id. Kept for the connection while this workload's id stays.</summary>
    public string? ForwardedClientCert(string by)
    {
        if (Principal is null) return null;
        var forwarded = _forwarded;
        if (forwarded is null || !ReferenceEquals(forwarded.By, by))
        {
            forwarded = new ForwardedHeader(by, $"By={by};Hash={Hash};URI={Principal}");
            _forwarded = forwarded;
        }
        return forwarded.Value;
    }

    private sealed record ForwardedHeader(string By, string Value);
}
