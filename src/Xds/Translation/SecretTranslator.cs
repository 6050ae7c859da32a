using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Mesh.Grains.Security;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation;

/// <summary>SDS secrets the control plane serves, named as Istio names them. Only the trust bundle: a workload's own
/// key never leaves its sidecar, so <c>default</c> is served by the sidecar to its local consumers.</summary>
public static class SecretTranslator
{
    public static Secret RootCaSecret(TrustBundle bundle) => new()
    {
        Name = SecretNames.RootCa,
        ValidationContext = new CertificateValidationContext
        {
            TrustedCa = new Envoy.Config.Core.V3.DataSource { InlineBytes = ByteString.CopyFromUtf8(bundle.Pem) },
        },
    };
}
