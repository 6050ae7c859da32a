using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Config;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Tests.Config;

public sealed class ListenerCompilerTests
{
    [Fact]
    public void An_RDS_listener_names_its_route_configuration_and_whether_it_injects_faults()
    {
        var errors = new List<string>();

        var model = ListenerCompiler.Compile(Listener("""
            {"rds": {"route_config_name": "web:80"}, "http_filters": [{"name": "envoy.filters.http.fault"}, {"name": "envoy.filters.http.router"}]}
            """), errors);

        Assert.Empty(errors);
        Assert.Equal(("web:80", (RouteTable?)null, true), (model!.RouteConfigName, model.InlineRoutes, model.FaultFilter));
    }

    [Fact]
    public void An_inline_route_configuration_is_compiled_with_the_listener()
    {
        var errors = new List<string>();

        var model = ListenerCompiler.Compile(Listener("""
            {"route_config": {"name": "inline", "virtual_hosts": [{"name": "h", "domains": ["*"], "routes": [{"match": {"prefix": "/"}, "direct_response": {"status": 204}}]}]}}
            """), errors);

        Assert.Empty(errors);
        Assert.Equal(204, model!.InlineRoutes!.VirtualHosts.Single().Routes.Single().Direct!.Status);
    }

    [Theory]
    [InlineData("""{"rds": {"route_config_name": "r"}, "http_filters": [{"name": "envoy.filters.http.lua"}, {"name": "envoy.filters.http.router"}]}""",
        "Listener web:80: http_filters[0]: filter \"envoy.filters.http.lua\" is not supported by mesh-sidecar (mark it is_optional to skip it)")]
    [InlineData("""{"rds": {"route_config_name": "r"}, "http_filters": [{"name": "envoy.filters.http.router"}, {"name": "envoy.filters.http.cors"}]}""",
        "Listener web:80: http_filters: the last filter must be envoy.filters.http.router")]
    [InlineData("""{"scoped_routes": {"name": "s"}}""", "Listener web:80: route_specifier: only rds and route_config are supported")]
    [InlineData("""{"route_config": {"virtual_hosts": [{"routes": [{"match": {"prefix": "/"}}]}]}}""",
        "Listener web:80: route_config: virtual_hosts[0].routes[0]: action None is not supported (route, redirect or direct_response)")]
    public void A_listener_the_sidecar_cannot_serve_is_refused_with_its_field_path(string manager, string error)
    {
        var errors = new List<string>();

        ListenerCompiler.Compile(Listener(manager), errors);

        Assert.Equal(error, Assert.Single(errors));
    }

    [Fact]
    public void A_listener_without_an_HTTP_connection_manager_is_refused()
    {
        var errors = new List<string>();

        Assert.Null(ListenerCompiler.Compile(new Listener { Name = "tcp:9000" }, errors));
        Assert.Equal("Listener tcp:9000: no HTTP connection manager (in api_listener or a filter chain); only HTTP listeners are supported", Assert.Single(errors));
    }

    [Fact]
    public void An_optional_filter_the_sidecar_does_not_know_is_skipped()
    {
        var errors = new List<string>();

        ListenerCompiler.Compile(Listener("""
            {"rds": {"route_config_name": "r"}, "http_filters": [{"name": "envoy.filters.http.lua", "is_optional": true}, {"name": "envoy.filters.http.router"}]}
            """), errors);

        Assert.Empty(errors);
    }

    [Fact]
    public void The_connection_manager_is_found_in_a_filter_chain_too()
    {
        var listener = new Listener
        {
            FilterChains = { new FilterChain { Filters = { new Filter { Name = EnvoyFilters.HttpConnectionManager, TypedConfig = Any.Pack(Resources.Parse<HttpConnectionManager>("""{"rds": {"route_config_name": "r"}}""")) } } } },
        };

        Assert.Equal("r", ModelCompiler.RouteNameOf(listener));
    }

    private static Listener Listener(string manager)
        => new() { Name = "web:80", ApiListener = new ApiListener { ApiListener_ = Any.Pack(Resources.Parse<HttpConnectionManager>(manager)) } };
}
