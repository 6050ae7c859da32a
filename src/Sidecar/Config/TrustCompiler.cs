using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Mesh.Xds.Resources;
using Mesh.Sidecar.Security;

namespace Mesh.Sidecar.Config;

/// <summary>Compiles SDS <c>ROOTCA</c> (the mesh's roots, PEM, in its validation context) into the trust bundle
/// upstream and inbound mTLS verify against.</summary>
internal static class TrustCompiler
{
    /// <summary>The bundle, or null when no ROOTCA was sent (or it holds no certificate, which is an error).</summary>
    public static TrustedRoots? Compile(ResourceSet resources, List<string> errors)
    {
        if (resources.Get<Secret>(TypeUrls.Secret, SecretNames.RootCa) is not { } secret) return null;
        var ca = secret.ValidationContext?.TrustedCa;
        var pem = ca?.SpecifierCase switch
        {
            DataSource.SpecifierOneofCase.InlineBytes => ca.InlineBytes.ToStringUtf8(),
            DataSource.SpecifierOneofCase.InlineString => ca.InlineString,
            _ => "",
        };
        try
        {
            var bundle = TrustedRoots.FromPem(pem);
            if (bundle.Roots.Count > 0) return bundle;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
        }
        errors.Add("Secret ROOTCA: validation_context.trusted_ca holds no PEM certificate");
        return null;
    }
}
