using Mesh.Config.Views.Gateways;

namespace Mesh.Config.Tests.Views.Gateways;

public class ServerHostTests
{
    [Theory]
    [InlineData("a.example.com", "*", "a.example.com")]
    [InlineData("./a.example.com", ".", "a.example.com")]
    [InlineData("prod/*.example.com", "prod", "*.example.com")]
    [InlineData("*/*", "*", "*")]
    public void Parse_SplitsNamespaceAndDnsName(string text, string @namespace, string dnsName) =>
        Assert.Equal(new ServerHost(@namespace, dnsName), ServerHost.Parse(text));

    [Theory]
    [InlineData("*/a.com", "web", true)]
    [InlineData("./a.com", "istio-system", true)]
    [InlineData("./a.com", "web", false)]
    [InlineData("web/a.com", "web", true)]
    [InlineData("web/a.com", "shop", false)]
    public void Admits_TheNamespacesItNames(string text, string routeNamespace, bool admitted) =>
        Assert.Equal(admitted, ServerHost.Parse(text).Admits(routeNamespace, "istio-system"));

    [Theory]
    [InlineData("*", "a.com", "a.com")]
    [InlineData("*.a.com", "b.a.com", "b.a.com")]
    [InlineData("b.a.com", "*.a.com", "b.a.com")]
    [InlineData("*.a.com", "*.b.a.com", "*.b.a.com")]
    [InlineData("*.a.com", "a.com", null)]
    [InlineData("*.a.com", "*.b.com", null)]
    [InlineData("a.com", "b.com", null)]
    public void Intersection_IsTheMoreSpecificName(string a, string b, string? expected)
    {
        Assert.Equal(expected, ServerHost.Intersection(a, b));
        Assert.Equal(expected, ServerHost.Intersection(b, a));
    }
}
