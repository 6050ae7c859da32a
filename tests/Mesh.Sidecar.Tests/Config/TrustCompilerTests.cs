using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Mesh.Sidecar.Config;
using Mesh.Xds.Resources;
using EnvoyCore = Envoy.Config.Core.V3;

namespace Mesh.Sidecar.Tests.Config;

public sealed class TrustCompilerTests
{
    // The control plane sends inline_bytes; inline_string was refused before (the bytes getter is never null).
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_ROOTCA_secret_becomes_the_trust_bundle(bool asBytes)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = new CertificateRequest("CN=mesh root", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var errors = new List<string>();

        var bundle = TrustCompiler.Compile(Secrets(root.ExportCertificatePem(), asBytes), errors);

        Assert.Empty(errors);
        Assert.Equal(root.Thumbprint, Assert.Single(bundle!.Roots).Thumbprint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----")]
    public void A_ROOTCA_without_a_certificate_is_refused(string pem)
    {
        var errors = new List<string>();

        Assert.Null(TrustCompiler.Compile(Secrets(pem), errors));
        Assert.Equal("Secret ROOTCA: validation_context.trusted_ca holds no PEM certificate", Assert.Single(errors));
    }

    [Fact]
    public void No_ROOTCA_means_no_bundle_yet()
    {
        var errors = new List<string>();

        Assert.Null(TrustCompiler.Compile(ResourceSet.Empty, errors));
        Assert.Empty(errors);
    }

    private static ResourceSet Secrets(string pem, bool asBytes = false)
    {
        var source = asBytes ? new EnvoyCore.DataSource { InlineBytes = Google.Protobuf.ByteString.CopyFromUtf8(pem) } : new EnvoyCore.DataSource { InlineString = pem };
        var secret = new Secret { Name = SecretNames.RootCa, ValidationContext = new CertificateValidationContext { TrustedCa = source } };
        return ResourceSet.Empty.With(TypeUrls.Secret, [new ReceivedResource(SecretNames.RootCa, "1", secret)], [], "1");
    }
}
