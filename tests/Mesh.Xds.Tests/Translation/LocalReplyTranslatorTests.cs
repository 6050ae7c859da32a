using Envoy.Config.Route.V3;
using Route = Envoy.Config.Route.V3.Route;
using Mesh.Xds.Translation.Gateways;
using static Mesh.Xds.Tests.Translation.Gateways.Gateways;

namespace Mesh.Xds.Tests.Translation;

public sealed class LocalReplyTranslatorTests
{
    private static Route Single(string http) => GatewayRouteTranslator.Translate(WorkloadNamespace, Workload, 80, GatewayInputs.Of(
        Gateway($"[{On(80, "HTTP", """["*"]""")}]", Gateways.Gateways.Route("web", "vs", $$"""{"hosts": ["a.example.com"], "gateways": ["istio-system/gw"], "http": [{{http}}]}"""))))!
        .VirtualHosts.Single().Routes.Single();

    [Fact]
    public void At_a_gateway_a_redirect_is_Envoys_redirect_with_each_part_it_sets()
    {
        var route = Single("""{"redirect": {"uri": "/new", "authority": "b.example.com", "port": 8443, "scheme": "https", "redirectCode": 308}, "headers": {"response": {"set": {"x-why": "moved"}}}}""");

        Assert.Equal(Route.ActionOneofCase.Redirect, route.ActionCase);
        Assert.Equal("/new", route.Redirect.PathRedirect);
        Assert.Equal("b.example.com", route.Redirect.HostRedirect);
        Assert.Equal(8443u, route.Redirect.PortRedirect);
        Assert.Equal("https", route.Redirect.SchemeRedirect);
        Assert.Equal(RedirectAction.Types.RedirectResponseCode.PermanentRedirect, route.Redirect.ResponseCode);
        Assert.Equal("x-why", Assert.Single(route.ResponseHeadersToAdd).Header.Key);
        Assert.Empty(route.TypedPerFilterConfig);
    }

    [Theory]
    [InlineData(null, RedirectAction.Types.RedirectResponseCode.MovedPermanently)]
    [InlineData(302, RedirectAction.Types.RedirectResponseCode.Found)]
    [InlineData(303, RedirectAction.Types.RedirectResponseCode.SeeOther)]
    [InlineData(307, RedirectAction.Types.RedirectResponseCode.TemporaryRedirect)]
    public void Redirect_codes_map_to_Envoys(int? code, RedirectAction.Types.RedirectResponseCode expected)
    {
        var codeField = code is null ? "" : $", \"redirectCode\": {code}";
        var route = Single("{\"redirect\": {\"uri\": \"/x\"" + codeField + "}}");

        Assert.Equal(expected, route.Redirect.ResponseCode);
        Assert.Equal("", route.Redirect.SchemeRedirect);
        Assert.Equal(0u, route.Redirect.PortRedirect);
    }

    [Fact]
    public void At_a_gateway_a_direct_response_is_Envoys_direct_response()
    {
        var route = Single("""{"directResponse": {"status": 503, "body": {"string": "closed"}}}""");

        Assert.Equal(503u, route.DirectResponse.Status);
        Assert.Equal("closed", route.DirectResponse.Body.InlineString);
    }
}
