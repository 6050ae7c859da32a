using Mesh.Config.Validation.Rules;

namespace Mesh.Config.Tests.Validation.Rules;

public sealed class HostNamesTests
{
    [Theory]
    [InlineData("reviews", "bookinfo", "reviews.bookinfo.svc.cluster.local")]
    [InlineData("reviews.bookinfo", "default", "reviews.bookinfo")]
    [InlineData("api.example.com", "bookinfo", "api.example.com")]
    [InlineData("*.example.com", "bookinfo", "*.example.com")]
    [InlineData("*", "bookinfo", "*")]
    public void Qualify_ShortNamesOnly_GetNamespaceAndClusterDomain(string host, string @namespace, string expected)
    {
        Assert.Equal(expected, HostNames.Qualify(host, @namespace));
    }

    [Theory]
    [InlineData("reviews.bookinfo.svc.cluster.local", "reviews.bookinfo.svc.cluster.local,reviews,reviews.bookinfo,reviews.bookinfo.svc")]
    [InlineData("api.example.com", "api.example.com")]
    [InlineData("a.b.c.svc.cluster.local", "a.b.c.svc.cluster.local")]
    public void Names_KubernetesServices_GetIstiosShortForms(string host, string expected)
    {
        Assert.Equal(expected, string.Join(',', HostNames.Names(host)));
    }
}
