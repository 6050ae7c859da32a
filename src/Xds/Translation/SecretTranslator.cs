using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Mesh.Grains.Security;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation;

/// <summary>SDS secrets the control plane serves, named as Istio names them: the trust bundle, and the gateway
/// credentials stored with <c>meshctl secret</c>. A workload's own key never leaves its sidecar, so <c>default</c> is
/// served by the sidecar to its local consumers.</summary>
public static class SecretTranslator
{
    public static Secret RootCaSecret(TrustBundle bundle) => Validation(SecretNames.RootCa, bundle.Pem);

    /// <summary><c>kubernetes://NS/NAME</c>: the certificate chain and private key a gateway terminates TLS with.</summary>
    public static Secret CredentialSecret(string name, string certificateChainPem, string privateKeyPem) => new()
    {
        Name = name,
        TlsCertificate = new TlsCertificate
        {
            CertificateChain = Inline(certificateChainPem),
            PrivateKey = Inline(privateKeyPem),
        },
    };

    /// <summary><c>kubernetes://NS/NAME-cacert</c>: the CA a gateway verifies client certificates with.</summary>
    public static Secret CredentialCaSecret(string name, string caPem) => Validation(name, caPem);

    private static Secret Validation(string name, string pem) => new()
    {
        Name = name,
        ValidationContext = new CertificateValidationContext { TrustedCa = Inline(pem) },
    };

    private static Envoy.Config.Core.V3.DataSource Inline(string pem) => new() { InlineBytes = ByteString.CopyFromUtf8(pem) };
}
