using Mesh.Grains.Secrets;

namespace Mesh.Grains.Tests.Secrets;

public sealed class TlsCredentialInspectorTests
{
    private static IReadOnlyList<SecretProblem> Problems(TlsCredential credential) => TlsCredentialInspector.Inspect("ns", "web", credential).Problems;

    [Fact]
    public void A_certificate_and_its_key_pass_as_a_tls_secret_with_their_names()
    {
        var (info, problems) = TlsCredentialInspector.Inspect("ns", "web", TestCredentials.Server("web.example.com", rsa: true));

        Assert.Empty(problems);
        Assert.Equal(SecretInfo.TlsType, info!.Type);
        Assert.Equal(["web.example.com"], info.DnsNames);
        Assert.True(info.NotAfter > DateTimeOffset.UtcNow);
    }

    [Fact]
    public void A_ca_alone_passes_as_an_opaque_companion()
    {
        var ca = TestCredentials.Server("Example CA").CertificateChainPem;
        var (info, problems) = TlsCredentialInspector.Inspect("ns", "web-cacert", new TlsCredential("", "", ca + ca));

        Assert.Empty(problems);
        Assert.Equal(SecretInfo.OpaqueType, info!.Type);
        Assert.Equal([TlsCredential.CaField], info.Keys);
        Assert.Equal(2, info.CaCertificates);
    }

    public static TheoryData<string, TlsCredential, string, string> Refused()
    {
        var good = TestCredentials.Server();
        return new()
        {
            { "nothing", new TlsCredential("", "", ""), TlsCredential.CertificateField, "required" },
            { "no key", good with { PrivateKeyPem = "" }, TlsCredential.KeyField, "required with tls.crt" },
            { "no certificate", good with { CertificateChainPem = "" }, TlsCredential.CertificateField, "required with tls.key" },
            { "not PEM", good with { CertificateChainPem = "hello" }, TlsCredential.CertificateField, "holds no PEM block" },
            { "garbage certificate", good with { CertificateChainPem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" }, TlsCredential.CertificateField, "does not parse" },
            { "key in tls.crt", good with { CertificateChainPem = good.CertificateChainPem + good.PrivateKeyPem }, TlsCredential.CertificateField, "is a private key" },
            { "another key", good with { PrivateKeyPem = TestCredentials.Server().PrivateKeyPem }, TlsCredential.KeyField, "does not match" },
            { "encrypted key", good with { PrivateKeyPem = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n" }, TlsCredential.KeyField, "passphrase" },
            { "a certificate as key", good with { PrivateKeyPem = good.CertificateChainPem }, TlsCredential.KeyField, "not a PRIVATE KEY" },
            { "garbage key", good with { PrivateKeyPem = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n" }, TlsCredential.KeyField, "does not parse" },
            { "garbage ca", good with { CaPem = "ca" }, TlsCredential.CaField, "holds no PEM block" },
        };
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_bad_field_is_reported_with_its_name_and_why(string _, TlsCredential credential, string field, string reason)
    {
        var problem = Assert.Single(Problems(credential));
        Assert.Equal(field, problem.Field);
        Assert.Contains(reason, problem.Reason);
    }
}
