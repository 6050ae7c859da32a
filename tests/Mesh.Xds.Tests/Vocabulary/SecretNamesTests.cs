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
}
