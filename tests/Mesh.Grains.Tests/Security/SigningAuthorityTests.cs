using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Mesh.Grains.Security;

namespace Mesh.Grains.Tests.Security;

public class SigningAuthorityTests
{
    [Theory]
    [InlineData("ECDSA")]
    [InlineData("RSA")]
    public void A_generated_root_signs_a_spiffe_leaf_that_chains_to_it(string algorithm)
    {
        var (root, pkcs8) = SigningAuthority.NewRoot("example.org", algorithm, TimeSpan.FromDays(365), TimeProvider.System);
        using var authority = new SigningAuthority(SigningAuthority.WithKey(root, pkcs8), []);
        using var workloadKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var order = new CertificateOrder(workloadKey.ExportSubjectPublicKeyInfo(), "spiffe://example.org/ns/shop/sa/web", [], [], TimeSpan.FromMinutes(5));

        var (leaf, chainPem) = authority.Issue(order, TimeProvider.System);

        using (leaf)
        {
            Assert.Equal(algorithm == "RSA", root.GetRSAPublicKey() is not null);
            Assert.Contains("spiffe://example.org/ns/shop/sa/web", leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().Format(false));
            Assert.True(leaf.NotAfter.ToUniversalTime() <= DateTime.UtcNow.AddMinutes(5.1));
            Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
            Assert.Contains(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.2");
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.Add(root);
            Assert.True(chain.Build(leaf));
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", chainPem);
        }
    }

    [Fact]
    public void A_leaf_never_outlives_its_ca()
    {
        var (root, pkcs8) = SigningAuthority.NewRoot("example.org", "ECDSA", TimeSpan.FromHours(1), TimeProvider.System);
        using var authority = new SigningAuthority(SigningAuthority.WithKey(root, pkcs8), []);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (leaf, _) = authority.Issue(new CertificateOrder(key.ExportSubjectPublicKeyInfo(), "spiffe://example.org/ns/a/sa/b", [], [], TimeSpan.FromDays(30)), TimeProvider.System);
        using (leaf) Assert.True(leaf.NotAfter <= root.NotAfter);
    }
}
