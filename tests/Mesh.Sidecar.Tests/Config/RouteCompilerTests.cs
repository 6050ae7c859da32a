using Envoy.Config.Route.V3;
using Mesh.Sidecar.Config;

namespace Mesh.Sidecar.Tests.Config;

public sealed class RouteCompilerTests
{
    [Fact]
    public void A_route_configuration_keeps_its_virtual_hosts_routes_and_edits()
    {
        var errors = new List<string>();

        var table = RouteCompiler.Compile(Resources.Configuration(
            """{"name": "api", "match": {"prefix": "/api", "runtime_fraction": {"default_value": {"numerator": 5, "denominator": "TEN_THOUSAND"}}}, "direct_response": {"status": 200, "body": {"inline_string": "ok"}}}""",
            """, "request_headers_to_remove": ["x-debug"]"""), "RouteConfiguration r", errors);

        Assert.Empty(errors);
        var host = table!.VirtualHosts.Single();
        Assert.Equal(["x-debug"], host.Headers.RequestRemove);
        var route = host.Routes.Single();
        Assert.Equal(("api", "/api", 200, "ok"), (route.Name, route.Match.PathValue, route.Direct!.Status, route.Direct.Body));
        Assert.Equal(new Fraction(5, 10_000), route.Match.RuntimeFraction);
    }

    [Fact]
    public void A_fault_for_the_route_is_read_from_its_per_filter_config()
    {
        var route = Resources.Route("""
            {"match": {"prefix": "/"}, "direct_response": {"status": 200},
             "typed_per_filter_config": {"envoy.filters.http.fault": {"@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
               "delay": {"fixed_delay": "0.5s", "percentage": {"numerator": 10}}, "abort": {"http_status": 503}}}}
            """);

        Assert.Equal(new FaultPolicy(TimeSpan.FromMilliseconds(500), new Fraction(10, 100), 503, null, Fraction.Always), route.Fault);
    }

    [Theory]
    [InlineData("""{"match": {"connect_matcher": {}}, "direct_response": {"status": 200}}""",
        "routes[0].match: path specifier ConnectMatcher is not supported (prefix, path, safe_regex or path_separated_prefix)")]
    [InlineData("""{"match": {"prefix": "/", "headers": [{"name": "x", "string_match": {}}]}, "direct_response": {"status": 200}}""",
        "routes[0].match.headers[0].string_match: match_pattern is required (exact, prefix, suffix, contains or safe_regex)")]
    [InlineData("""{"match": {"prefix": "/"}, "filter_action": {}}""", "routes[0]: action FilterAction is not supported (route, redirect or direct_response)")]
    [InlineData("""{"match": {"prefix": "/"}, "direct_response": {"status": 200}, "typed_per_filter_config": {"envoy.filters.http.fault": {"@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault", "delay": {"fixed_delay": "-1s"}}}}""",
        "routes[0].typed_per_filter_config[envoy.filters.http.fault].delay.fixed_delay: ")]
    public void A_route_the_sidecar_cannot_serve_is_refused_with_its_field_path(string route, string error)
    {
        var errors = new List<string>();

        Assert.Null(RouteCompiler.Compile(Resources.Configuration(route), "RouteConfiguration r", errors));
        Assert.StartsWith($"RouteConfiguration r: virtual_hosts[0].{error}", Assert.Single(errors));
    }

    [Fact]
    public void Every_bad_route_is_reported_not_only_the_first()
    {
        var errors = new List<string>();
        var configuration = Resources.Configuration("""{"match": {"prefix": "/"}, "filter_action": {}}""");
        configuration.VirtualHosts[0].Routes.Add(new Route { Match = new RouteMatch { Prefix = "/" } });

        RouteCompiler.Compile(configuration, "RouteConfiguration r", errors);

        Assert.Equal(2, errors.Count);
    }
}
