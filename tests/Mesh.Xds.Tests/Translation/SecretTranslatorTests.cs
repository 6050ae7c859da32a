using Mesh.Xds.Translation;

namespace Mesh.Xds.Tests.Translation;

public sealed class SecretTranslatorTests
{
    [Fact]
    public void A_credential_carries_its_chain_and_key_inline_as_Envoy_takes_them()
    {
        var secret = SecretTranslator.CredentialSecret("kubernetes://shop/web", "CHAIN", "KEY");

        Assert.Equal("kubernetes://shop/web", secret.Name);
        Assert.Equal("CHAIN", secret.TlsCertificate.CertificateChain.InlineBytes.ToStringUtf8());
        Assert.Equal("KEY", secret.TlsCertificate.PrivateKey.InlineBytes.ToStringUtf8());
        Assert.Null(secret.ValidationContext);
    }

    [Fact]
    public void A_credential_ca_is_a_validation_context_with_its_trusted_ca()
    {
        var secret = SecretTranslator.CredentialCaSecret("kubernetes://shop/web-cacert", "CA");

        Assert.Equal("CA", secret.ValidationContext.TrustedCa.InlineBytes.ToStringUtf8());
        Assert.Null(secret.TlsCertificate);
    }
}
