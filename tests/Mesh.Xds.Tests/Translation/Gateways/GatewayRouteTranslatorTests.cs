using Envoy.Config.Route.V3;
using Mesh.Xds.Translation.Gateways;
using static Mesh.Xds.Tests.Translation.Gateways.Gateways;

namespace Mesh.Xds.Tests.Translation.Gateways;

public sealed class GatewayRouteTranslatorTests
{
    private static RouteConfiguration Translate(int port, params BoundGateway[] gateways) =>
        GatewayRouteTranslator.Translate(WorkloadNamespace, Workload, port, GatewayInputs.Of(gateways)) ?? throw new InvalidOperationException("no routes");

    private static string Http80(string hosts, string? tls = null) => $"[{On(80, "HTTP", hosts, tls)}]";

    private static IEnumerable<string> Clusters(VirtualHost host) => host.Routes.Select(r => r.Route_.Cluster);

    [Fact]
    public void One_virtual_host_per_served_host_with_the_bound_routes_translated_as_for_sidecars()
    {
        var configuration = Translate(80, Gateway(Http80("""["*"]"""), Route("bookinfo", "bookinfo", """
            {"hosts": ["bookinfo.example.com"], "gateways": ["istio-system/gw"], "http": [
              {"match": [{"uri": {"prefix": "/api"}}], "route": [{"destination": {"host": "reviews", "subset": "v2", "port": {"number": 9080}}}], "timeout": "3s"},
              {"route": [{"destination": {"host": "productpage", "port": {"number": 9080}}}]}]}
            """)));

        Assert.Equal("gateway|istio-system|ingress|80", configuration.Name);
        var host = Assert.Single(configuration.VirtualHosts);
        Assert.Equal("bookinfo.example.com:80", host.Name);
        Assert.Equal(["bookinfo.example.com", "bookinfo.example.com:80"], host.Domains);
        Assert.Equal(["outbound|9080|v2|reviews.bookinfo.svc.cluster.local", "outbound|9080||productpage.bookinfo.svc.cluster.local"], Clusters(host));
        Assert.Equal("/api", host.Routes[0].Match.Prefix);
        Assert.Equal(3, host.Routes[0].Route_.Timeout.Seconds);
        Assert.Equal(VirtualHost.Types.TlsRequirementType.None, host.RequireTls);
    }

    [Fact]
    public void Routes_keep_their_names_and_unnamed_ones_are_named_after_their_virtual_service_and_index()
    {
        var configuration = Translate(80, Gateway(Http80("""["*"]"""), Route("bookinfo", "bookinfo", """
            {"hosts": ["bookinfo.example.com"], "gateways": ["istio-system/gw"], "http": [
              {"name": "reviews-api", "match": [{"uri": {"prefix": "/api"}}, {"uri": {"prefix": "/v2"}}], "route": [{"destination": {"host": "reviews", "port": {"number": 9080}}}]},
              {"route": [{"destination": {"host": "productpage", "port": {"number": 9080}}}]}]}
            """)));

        // One Envoy route per match entry, all with the Istio route's name.
        Assert.Equal(["reviews-api", "reviews-api", "bookinfo.bookinfo.1"], Assert.Single(configuration.VirtualHosts).Routes.Select(r => r.Name));
    }

    [Theory]
    // Server host, VirtualService host → the name served (the more specific of the two), or none.
    [InlineData("*", "*", "*")]
    [InlineData("*.example.com", "a.example.com", "a.example.com")]
    [InlineData("a.example.com", "*.example.com", "a.example.com")]
    [InlineData("*.example.com", "*", "*.example.com")]
    [InlineData("*.example.com", "*.a.example.com", "*.a.example.com")]
    [InlineData("A.Example.com", "a.example.COM", "a.example.com")]
    [InlineData("*.example.com", "example.com", null)]
    [InlineData("a.example.com", "b.example.com", null)]
    public void Hosts_intersect_as_Istio_matches_them(string serverHost, string routeHost, string? served)
    {
        var configuration = Translate(80, Gateway(Http80($"[\"{serverHost}\"]"), Route("web", "vs", Http($"[\"{routeHost}\"]"))));

        Assert.Equal(served is null ? [] : [served], configuration.VirtualHosts.Select(v => v.Domains[0]));
    }

    [Theory]
    // Server host namespace, VirtualService namespace → bound or not (the gateway is in istio-system).
    [InlineData("*/a.example.com", "web", true)]
    [InlineData("a.example.com", "web", true)]
    [InlineData("web/a.example.com", "web", true)]
    [InlineData("web/a.example.com", "shop", false)]
    [InlineData("./a.example.com", "istio-system", true)]
    [InlineData("./a.example.com", "web", false)]
    public void A_server_host_admits_the_namespaces_it_names(string serverHost, string routeNamespace, bool bound)
    {
        var configuration = Translate(80, Gateway(Http80($"[\"{serverHost}\"]"), Route(routeNamespace, "vs", Http("""["a.example.com"]"""))));

        Assert.Equal(bound ? 1 : 0, configuration.VirtualHosts.Count);
    }

    [Fact]
    public void HttpsRedirect_requires_tls_on_the_plaintext_server_virtual_hosts()
    {
        var configuration = Translate(80, Gateway(Http80("""["a.example.com"]""", """{"httpsRedirect": true}"""), Route("web", "vs", Http("""["a.example.com"]"""))));

        Assert.Equal(VirtualHost.Types.TlsRequirementType.All, Assert.Single(configuration.VirtualHosts).RequireTls);
    }

    [Fact]
    public void Https_servers_share_the_port_route_configuration()
    {
        var configuration = Translate(443, Gateway(Servers(
            On(443, "HTTPS", """["a.example.com"]""", """{"mode": "SIMPLE", "credentialName": "a"}"""),
            On(443, "HTTPS", """["b.example.com"]""", """{"mode": "SIMPLE", "credentialName": "b"}""")),
            Route("web", "vs", Http("""["a.example.com", "b.example.com"]"""))));

        Assert.Equal(["a.example.com:443", "b.example.com:443"], configuration.VirtualHosts.Select(v => v.Name));
    }

    [Fact]
    public void Two_virtual_services_for_one_host_add_their_routes_in_key_order()
    {
        var configuration = Translate(80, Gateway(Http80("""["*"]"""),
            Route("web", "a", Http("""["a.example.com"]""", "first")),
            Route("web", "b", Http("""["a.example.com"]""", "second"))));

        Assert.Equal(["outbound|9080||first.web.svc.cluster.local", "outbound|9080||second.web.svc.cluster.local"], Clusters(Assert.Single(configuration.VirtualHosts)));
    }

    [Fact]
    public void A_match_limited_to_other_gateways_or_the_mesh_is_left_out()
    {
        var configuration = Translate(80, Gateway(Http80("""["*"]"""), Route("istio-system", "vs", """
            {"hosts": ["a.example.com"], "gateways": ["gw", "mesh"], "http": [
              {"match": [{"gateways": ["mesh"]}], "route": [{"destination": {"host": "mesh-only", "port": {"number": 80}}}]},
              {"match": [{"gateways": ["other"]}], "route": [{"destination": {"host": "other-only", "port": {"number": 80}}}]},
              {"match": [{"gateways": ["gw"]}], "route": [{"destination": {"host": "gateway-only", "port": {"number": 80}}}]}]}
            """)));

        Assert.Equal(["outbound|80||gateway-only.istio-system.svc.cluster.local"], Clusters(Assert.Single(configuration.VirtualHosts)));
    }

    [Fact]
    public void Two_gateways_selecting_one_workload_each_serve_their_own_routes()
    {
        var a = Gateway("istio-system", "a", Http80("""["a.example.com"]"""), Route("web", "vs-a", Http("""["a.example.com", "b.example.com"]""", "a", """["istio-system/a"]""")));
        var b = Gateway("shop", "b", Http80("""["b.example.com"]"""), Route("shop", "vs-b", Http("""["b.example.com"]""", "b", """["b"]""")));

        var configuration = Translate(80, a, b);

        Assert.Equal(["a.example.com", "b.example.com"], configuration.VirtualHosts.Select(v => v.Domains[0]));
        Assert.Equal(["outbound|9080||b.shop.svc.cluster.local"], Clusters(configuration.VirtualHosts[1]));
    }

    [Fact]
    public void A_destination_without_a_port_goes_to_its_service_only_port_else_to_the_server_port()
    {
        var gateway = Gateway(Http80("""["*"]"""), Route("web", "vs", """
            {"hosts": ["a.example.com"], "gateways": ["istio-system/gw"], "http": [
              {"match": [{"uri": {"prefix": "/one"}}], "route": [{"destination": {"host": "single"}}]},
              {"route": [{"destination": {"host": "several"}}]}]}
            """));
        var inputs = new GatewayInputs([gateway], new Dictionary<string, int> { ["single.web.svc.cluster.local"] = 8000 });

        var configuration = GatewayRouteTranslator.Translate(WorkloadNamespace, Workload, 80, inputs)!;

        Assert.Equal(["single.web.svc.cluster.local", "several.web.svc.cluster.local"], GatewayInputs.PortlessHosts([gateway]));
        Assert.Equal(["outbound|8000||single.web.svc.cluster.local", "outbound|80||several.web.svc.cluster.local"], Clusters(Assert.Single(configuration.VirtualHosts)));
    }

    [Fact]
    public void Passthrough_servers_have_no_route_configuration() =>
        Assert.Null(GatewayRouteTranslator.Translate(WorkloadNamespace, Workload, 443,
            GatewayInputs.Of(Gateway(Servers(On(443, "TLS", """["a.example.com"]""", """{"mode": "PASSTHROUGH"}"""))))));
}
