namespace Mesh.Config.Tests.Validation.Schemas;

/// <summary>VirtualService <c>tls</c> routes, which gateways serve for PASSTHROUGH servers: SNI names required and
/// among the VirtualService's hosts (Istio's rule).</summary>
public class VirtualServiceTlsRouteTests
{
    private const string Kind = "VirtualService";

    private static string Spec(string hosts, string match) =>
        "{\"hosts\": " + hosts + ", \"gateways\": [\"gw\"], \"tls\": [{\"match\": [" + match
        + """], "route": [{"destination": {"host": "nginx", "port": {"number": 443}}}]}]}""";

    [Theory]
    [InlineData("""["nginx.example.com"]""", """{"sniHosts": ["nginx.example.com"]}""")]
    [InlineData("""["*.example.com"]""", """{"sniHosts": ["a.example.com", "b.example.com"], "port": 443}""")]
    [InlineData("""["*"]""", """{"sniHosts": ["anything.io"], "gateways": ["other/gw"]}""")]
    public void Accepted(string hosts, string match) => Specs.AssertValid(Kind, Spec(hosts, match));

    [Theory]
    [InlineData("""["nginx.example.com"]""", """{"sniHosts": ["other.example.com"]}""", "spec.tls[0].match[0].sniHosts[0]", "is not among the VirtualService's hosts")]
    [InlineData("""["*.example.com"]""", """{"sniHosts": ["a.example.com", "example.com"]}""", "spec.tls[0].match[0].sniHosts[1]", "is not among the VirtualService's hosts")]
    [InlineData("""["nginx.example.com"]""", """{"port": 443}""", "spec.tls[0].match[0].sniHosts", "required")]
    [InlineData("""["nginx.example.com"]""", """{"sniHosts": []}""", "spec.tls[0].match[0].sniHosts", "")]
    public void Refused(string hosts, string match, string path, string reason) => Specs.AssertRefused(Kind, Spec(hosts, match), path, reason);
}
