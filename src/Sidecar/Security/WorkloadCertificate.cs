using System.Security.Cryptography.X509Certificates;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Security;

/// <summary>The sidecar's identity at one moment: its certificate (with the private key, which never left this
/// process), the intermediates to present with it, and when it expires.</summary>
public sealed record WorkloadCertificate(X509Certificate2 Leaf, X509Certificate2Collection Intermediates, SpiffeId Identity)
{
    /// <summary>The SPIFFE id as text, written once (every inbound request's x-forwarded-client-cert names it).</summary>
    public string Uri { get; } = Identity.ToString();

    public DateTimeOffset NotAfter => Leaf.NotAfter.ToUniversalTime();

    /// <summary>What TLS presents: the leaf with its intermediates.</summary>
    public System.Net.Security.SslStreamCertificateContext Context { get; } = System.Net.Security.SslStreamCertificateContext.Create(Leaf, Intermediates, offline: true);

    public DateTimeOffset NotBefore => Leaf.NotBefore.ToUniversalTime();

    /// <summary>Leaf then intermediates, PEM (SDS <c>default</c>).</summary>
    public string ChainPem => Leaf.ExportCertificatePem() + "\n" + string.Concat(Intermediates.Select(c => c.ExportCertificatePem() + "\n"));
}
