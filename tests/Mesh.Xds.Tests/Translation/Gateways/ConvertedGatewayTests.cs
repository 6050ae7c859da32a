using System.Text.Json.Nodes;
using Mesh.Config.GatewayApi;
using Mesh.Config.Validation;
using Mesh.Grains.GatewayApi;
using Mesh.Xds.Translation.Gateways;

namespace Mesh.Xds.Tests.Translation.Gateways;

/// <summary>A Gateway API Gateway converted into views, stored in <see cref="ConvertedViews"/>' form and read back as
/// the xDS side reads it, translates exactly as the views the conversion made.</summary>
public sealed class ConvertedGatewayTests
{
    private const string Ns = "apps";
    private static readonly Mesh.Xds.Translation.HttpListenerSettings Settings = new("DEFAULT", 0);

    private static GatewayApiObject Object(string kind, string name, string spec)
    {
        var result = ResourceValidator.Validate(new JsonObject
        {
            ["apiVersion"] = "gateway.networking.k8s.io/v1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns },
            ["spec"] = JsonNode.Parse(spec),
        });
        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        return new GatewayApiObject(result.Resource!, 1, DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public void Stored_and_read_back_the_converted_views_translate_to_the_same_listener_and_routes()
    {
        var binding = Assert.Single(GatewayApiConversion.Convert(new GatewayApiInput
        {
            GatewayClasses = [Object("GatewayClass", "mesh", $$"""{"controllerName": "{{GatewayApiNames.ControllerName}}"}""")],
            Gateways = [Object("Gateway", "public", """{"gatewayClassName": "mesh", "listeners": [{"name": "http", "port": 8080, "protocol": "HTTP"}]}""")],
            HttpRoutes = [Object("HTTPRoute", "web", """
                {"parentRefs": [{"name": "public"}], "hostnames": ["shop.example.com"], "rules": [
                  {"matches": [{"path": {"type": "PathPrefix", "value": "/api"}, "headers": [{"name": "x-canary", "value": "yes"}], "queryParams": [{"name": "q", "value": "1"}], "method": "GET"}],
                   "filters": [{"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "x-a", "value": "1"}], "remove": ["x-b"]}},
                               {"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/v2"}}},
                               {"type": "RequestMirror", "requestMirror": {"backendRef": {"name": "mirror", "port": 80}}}],
                   "timeouts": {"request": "2s"},
                   "backendRefs": [{"name": "v1", "port": 80, "weight": 3}, {"name": "v2", "port": 80, "weight": 1}]},
                  {"matches": [{"path": {"type": "Exact", "value": "/old"}}], "filters": [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https"}}]}]}
                """)],
        }).Bindings);
        var name = GatewayApiNames.GatewayReferenceName("public");
        var original = new BoundGateway(Ns, name, binding.Gateway, [.. binding.VirtualServices.Select((vs, i) => new BoundRoute($"r{i}", Ns, vs))]);
        var stored = new BoundGateway(Ns, name, ConvertedViews.Gateway(ConvertedViews.Write(binding.Gateway)),
            [.. binding.VirtualServices.Select((vs, i) => new BoundRoute($"r{i}", Ns, ConvertedViews.VirtualService(ConvertedViews.Write(vs))))]);

        var routes = GatewayRouteTranslator.Translate(Ns, "ingress", 8080, GatewayInputs.Of(original))!;
        Assert.Equal(routes, GatewayRouteTranslator.Translate(Ns, "ingress", 8080, GatewayInputs.Of(stored)));
        Assert.Equal(GatewayListenerTranslator.Translate(Ns, "ingress", 8080, GatewayInputs.Of(original), Settings),
            GatewayListenerTranslator.Translate(Ns, "ingress", 8080, GatewayInputs.Of(stored), Settings));
        // The routes name the converted Gateway by its reference, so they bind: both rules, the prefix as two routes.
        Assert.Equal(3, routes.VirtualHosts.Single().Routes.Count);
    }
}
