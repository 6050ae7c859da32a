using Mesh.Grains.Services;

namespace Mesh.Grains.Tests.Services;

public sealed class HostNameTests
{
    [Theory]
    [InlineData("reviews", "bookinfo", "reviews.bookinfo.svc.cluster.local")]
    [InlineData("reviews.bookinfo", "default", "reviews.bookinfo")]
    [InlineData("api.example.com", "bookinfo", "api.example.com")]
    [InlineData("*.example.com", "bookinfo", "*.example.com")]
    [InlineData("*", "bookinfo", "*")]
    public void Qualify_ShortNamesOnly_GetNamespaceAndClusterDomain(string host, string @namespace, string expected)
    {
        Assert.Equal(expected, HostName.Qualify(host, @namespace));
    }
}
