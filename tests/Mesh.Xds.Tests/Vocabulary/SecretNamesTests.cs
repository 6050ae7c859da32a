using Mesh.Xds.Resources;

namespace Mesh.Xds.Tests.Vocabulary;

public sealed class SecretNamesTests
{
    [Theory]
    [InlineData("kubernetes://shop/web", "shop", "web", false)]
    [InlineData("kubernetes://shop/web-cacert", "shop", "web", true)]
    [InlineData("kubernetes://shop/web.example.com", "shop", "web.example.com", false)]
    public void A_credential_name_reads_back_as_its_namespace_secret_and_part(string resource, string ns, string name, bool ca)
    {
        Assert.True(SecretNames.TryParseCredential(resource, out var parsedNs, out var parsedName, out var parsedCa));
        Assert.Equal((ns, name, ca), (parsedNs, parsedName, parsedCa));
        Assert.Equal(resource, ca ? SecretNames.CredentialCa(ns, name) : SecretNames.Credential(ns, name));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("ROOTCA")]
    [InlineData("kubernetes://web")]
    [InlineData("kubernetes:///web")]
    [InlineData("kubernetes://shop/")]
    [InlineData("kubernetes://shop/a/b")]
    public void Other_names_are_not_credentials(string resource) =>
        Assert.False(SecretNames.TryParseCredential(resource, out _, out _, out _));

    [Theory]
    [InlineData("kubernetes-gateway://certs/web", "certs", "web", false)]
    [InlineData("kubernetes-gateway://certs/web-cacert", "certs", "web", true)]
    public void A_granted_credential_reads_back_as_granted(string resource, string ns, string name, bool ca)
    {
        Assert.True(SecretNames.TryParseCredential(resource, out var parsedNs, out var parsedName, out var parsedCa, out var granted));
        Assert.Equal((ns, name, ca, true), (parsedNs, parsedName, parsedCa, granted));
        Assert.False(SecretNames.TryParseCredential(SecretNames.Credential(ns, name), out _, out _, out _, out var plain) && plain);
    }

    [Theory]
    [InlineData("web", false, "kubernetes://edge/web")]
    [InlineData("web", true, "kubernetes://edge/web-cacert")]
    [InlineData("kubernetes-gateway://certs/web", false, "kubernetes-gateway://certs/web")]
    [InlineData("kubernetes-gateway://certs/web", true, "kubernetes-gateway://certs/web-cacert")]
    public void A_server_credential_resolves_in_the_workload_namespace_unless_granted(string credentialName, bool ca, string expected) =>
        Assert.Equal(expected, SecretNames.OfServerCredential("edge", credentialName, ca));

    [Fact]
    public void The_Gateway_API_conversion_writes_the_granted_form() =>
        Assert.Equal(SecretNames.GrantedCredential("certs", "web"), Mesh.Config.GatewayApi.GatewayApiNames.CredentialName("edge", "certs", "web"));
}
