using Envoy.Config.Core.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Google.Protobuf;
using Mesh.Sidecar.Config;
using Mesh.Xds.Resources;
using static Mesh.Sidecar.Tests.Config.Gateway.GatewayResources;

namespace Mesh.Sidecar.Tests.Config.Gateway;

public sealed class TlsSecretCompilerTests
{
    [Fact]
    public void A_certificate_secret_becomes_what_TLS_presents_and_a_cacert_secret_the_roots()
    {
        using var root = Certificate("root.example.com", ca: true);
        using var leaf = Certificate("api.example.com", root);

        var (model, errors) = Compile(CertificateSecret("kubernetes://ns/api", leaf), CaSecret("kubernetes://ns/api-cacert", root));

        Assert.Empty(errors);
        Assert.Equal(leaf.Thumbprint, model!.Secrets["kubernetes://ns/api"].Certificate!.TargetCertificate.Thumbprint);
        Assert.True(model.Secrets["kubernetes://ns/api"].Certificate!.TargetCertificate.HasPrivateKey);
        Assert.Equal(root.Thumbprint, Assert.Single(model.Secrets["kubernetes://ns/api-cacert"].TrustedCa!).Thumbprint);
    }

    [Fact]
    public void A_replaced_secret_is_compiled_again_and_an_unchanged_one_is_kept()
    {
        using var first = Certificate("api.example.com");
        using var second = Certificate("api.example.com");
        using var other = Certificate("web.example.com");
        var resources = ResourceSet.Empty.With(TypeUrls.Secret,
            [new ReceivedResource("kubernetes://ns/api", "1", CertificateSecret("kubernetes://ns/api", first)), new ReceivedResource("kubernetes://ns/web", "1", CertificateSecret("kubernetes://ns/web", other))], [], "1");
        var (before, _) = ModelCompiler.Compile(resources);

        var replaced = resources.With(TypeUrls.Secret, [new ReceivedResource("kubernetes://ns/api", "2", CertificateSecret("kubernetes://ns/api", second))], [], "2");
        var (after, errors) = ModelCompiler.Compile(before!, replaced, TypeUrls.Secret, ["kubernetes://ns/api"]);

        Assert.Empty(errors);
        Assert.Equal(second.Thumbprint, after!.Secrets["kubernetes://ns/api"].Certificate!.TargetCertificate.Thumbprint);
        Assert.Same(before!.Secrets["kubernetes://ns/web"], after.Secrets["kubernetes://ns/web"]);
    }

    [Fact]
    public void A_removed_secret_leaves_the_model()
    {
        using var leaf = Certificate("api.example.com");
        var resources = ResourceSet.Empty.With(TypeUrls.Secret, [new ReceivedResource("kubernetes://ns/api", "1", CertificateSecret("kubernetes://ns/api", leaf))], [], "1");
        var (before, _) = ModelCompiler.Compile(resources);

        var (after, errors) = ModelCompiler.Compile(before!, resources.With(TypeUrls.Secret, [], ["kubernetes://ns/api"], "2"), TypeUrls.Secret, ["kubernetes://ns/api"]);

        Assert.Empty(errors);
        Assert.Empty(after!.Secrets);
    }

    [Fact]
    public void A_key_that_is_not_the_certificates_is_refused_with_the_secrets_path()
    {
        using var leaf = Certificate("api.example.com");
        using var stranger = Certificate("other.example.com");
        var secret = CertificateSecret("kubernetes://ns/api", leaf);
        secret.TlsCertificate.PrivateKey = CertificateSecret("x", stranger).TlsCertificate.PrivateKey;

        var (model, errors) = Compile(secret);

        Assert.Null(model);
        Assert.StartsWith("Secret kubernetes://ns/api: tls_certificate: the certificate chain and private key are not a PEM certificate with its key", Assert.Single(errors));
    }

    [Theory]
    [InlineData("validation", "Secret kubernetes://ns/x: validation_context.trusted_ca holds no PEM certificate")]
    [InlineData("key", "Secret kubernetes://ns/x: tls_certificate.private_key: required")]
    [InlineData("file", "Secret kubernetes://ns/x: tls_certificate.certificate_chain: Filename is not supported (inline_bytes or inline_string)")]
    [InlineData("generic", "Secret kubernetes://ns/x: type GenericSecret: only tls_certificate and validation_context are supported by mesh-sidecar")]
    public void A_secret_the_gateway_cannot_use_is_refused_with_its_field_path(string kind, string error)
    {
        using var leaf = Certificate("api.example.com");
        var secret = kind switch
        {
            "validation" => new Secret { ValidationContext = new CertificateValidationContext { TrustedCa = new DataSource { InlineString = "not pem" } } },
            "key" => new Secret { TlsCertificate = new TlsCertificate { CertificateChain = new DataSource { InlineString = leaf.ExportCertificatePem() } } },
            "file" => new Secret { TlsCertificate = new TlsCertificate { CertificateChain = new DataSource { Filename = "/etc/cert.pem" }, PrivateKey = new DataSource { InlineString = "k" } } },
            _ => new Secret { GenericSecret = new GenericSecret { Secret = new DataSource { InlineBytes = ByteString.CopyFromUtf8("s") } } },
        };
        secret.Name = "kubernetes://ns/x";

        var (model, errors) = Compile(secret);

        Assert.Null(model);
        Assert.Equal(error, Assert.Single(errors));
    }
}
