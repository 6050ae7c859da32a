using System.Net;
using Envoy.Config.Route.V3;
using Mesh.Sidecar.Capture;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;
using Mesh.Xds.Resources;
using Resources = Mesh.Sidecar.Tests.Config.Resources;

namespace Mesh.Sidecar.Tests.Proxy;

public sealed class RouteSelectorTests
{
    private const string Reviews = "reviews.default.svc.cluster.local:9080";

    /// <summary>The listener for reviews:9080 and its routes: v2 for the jason user, a catch-all to v1, and a
    /// virtual host of its own for the canary authority.</summary>
    private static readonly RouteConfiguration Routes = Resources.Parse<RouteConfiguration>("""
        {"name": "reviews-routes", "virtual_hosts": [
          {"name": "canary", "domains": ["canary.reviews:9080"], "routes": [
            {"name": "canary", "match": {"prefix": "/"}, "route": {"cluster": "v3"}}]},
          {"name": "reviews", "domains": ["reviews.default.svc.cluster.local:9080", "reviews:9080"], "routes": [
            {"name": "jason", "match": {"prefix": "/", "headers": [{"name": "end-user", "string_match": {"exact": "jason"}}]}, "route": {"cluster": "v2"}},
            {"name": "api", "match": {"prefix": "/api"}, "route": {"cluster": "v1"}}]}]}
        """);

    private static async Task<(RouteSelection Selection, Microsoft.AspNetCore.Http.HttpContext Context)> Select(string authority, string target, string? user = null)
    {
        var store = await Outbound.Store(Outbound.Listener(Reviews, "reviews-routes"), Routes);
        // The control plane said it has no listener for the unknown host.
        Assert.Null(await store.Apply(TypeUrls.Listener, [], ["unknown.example.com:80"], "2"));
        var context = Outbound.Request(authority, target);
        if (user is not null) context.Request.Headers["end-user"] = user;
        return (await new RouteSelector(Outbound.Options, store).Select(context), context);
    }

    [Theory]
    [InlineData("reviews:9080", "/api/1", null, "reviews", "api")]
    [InlineData("reviews:9080", "/api/1", "jason", "reviews", "jason")]
    [InlineData("reviews.default.svc.cluster.local:9080", "/", "jason", "reviews", "jason")]
    [InlineData("REVIEWS:9080", "/api", null, "reviews", "api")]
    public async Task Routes_are_matched_in_order_in_the_virtual_host_of_the_authority(string authority, string target, string? user, string host, string route)
    {
        var (selection, context) = await Select(authority, target, user);

        var routed = Assert.IsType<RouteSelection.Routed>(selection);
        Assert.Equal(Reviews, routed.Listener.Name);
        Assert.Equal(host, routed.Host.Name);
        Assert.Equal(route, routed.Route.Name);
        Assert.Equal(route, context.Items[RequestItems.Route]);
        Assert.Equal("reviews.default.svc.cluster.local", context.Items[RequestItems.Service]);
    }

    [Fact]
    public async Task An_authority_without_a_virtual_host_of_its_own_falls_back_to_the_listener_name()
    {
        var store = await Outbound.Store(Outbound.Listener(Reviews, "reviews-routes"), Resources.Parse<RouteConfiguration>("""
            {"name": "reviews-routes", "virtual_hosts": [{"name": "by-listener", "domains": ["reviews.default.svc.cluster.local:9080"],
              "routes": [{"name": "all", "match": {"prefix": "/"}, "route": {"cluster": "v1"}}]}]}
            """));

        var selection = await new RouteSelector(Outbound.Options, store).Select(Outbound.Request("reviews:9080"));

        Assert.Equal("by-listener", Assert.IsType<RouteSelection.Routed>(selection).Host.Name);
    }

    [Theory]
    [InlineData("reviews:9080", "/other", 404, "route_not_found")]
    [InlineData("localhost:15001", "/", 404, "localhost:15001 is this sidecar itself")]
    [InlineData("127.0.0.1:15000", "/", 404, "127.0.0.1:15000 is this sidecar itself")]
    public async Task Nothing_to_route_to_is_answered_by_the_sidecar(string authority, string target, int status, string reason)
    {
        var (selection, _) = await Select(authority, target);

        Assert.Equal(new RouteSelection.NoRoute(status, reason), selection);
    }

    [Fact]
    public async Task A_request_that_names_no_host_is_refused()
    {
        var store = await Outbound.Store();
        var context = Outbound.Request("");

        var selection = await new RouteSelector(Outbound.Options, store).Select(context);

        Assert.Equal(new RouteSelection.NoRoute(400, "the request names no host (Host header or absolute URI)"), selection);
    }

    [Fact]
    public async Task A_host_the_mesh_does_not_know_is_passed_through_to_its_port_80_by_default()
    {
        var (selection, context) = await Select("unknown.example.com", "/");

        Assert.Equal(new RouteSelection.Unknown("unknown.example.com", 80), selection);
        Assert.False(context.Items.ContainsKey(RequestItems.Route));
    }

    [Fact]
    public async Task A_captured_request_to_a_host_the_mesh_does_not_know_goes_to_the_address_it_was_sent_to()
    {
        var store = await Outbound.Store(Outbound.Listener(Reviews, "reviews-routes"), Routes);
        Assert.Null(await store.Apply(TypeUrls.Listener, [], ["unknown.example.com:80"], "2"));
        var context = Outbound.Request("unknown.example.com");
        context.Features.Set(new CapturedConnection(new IPEndPoint(IPAddress.Parse("203.0.113.7"), 80)));

        var selection = await new RouteSelector(Outbound.Options, store).Select(context);

        Assert.Equal(new RouteSelection.Unknown("203.0.113.7", 80), selection);
    }

    [Fact]
    public async Task A_captured_request_whose_host_names_nothing_known_is_routed_by_the_VIP_it_was_sent_to()
    {
        // The control plane's listener for a VIP routes with its service's route configuration, whose domains hold it.
        var routes = Resources.Parse<RouteConfiguration>("""
            {"name": "reviews-routes", "virtual_hosts": [{"name": "reviews", "domains": ["reviews:9080", "10.96.0.5:9080"],
              "routes": [{"name": "all", "match": {"prefix": "/"}, "route": {"cluster": "v1"}}]}]}
            """);
        var store = await Outbound.Store(Outbound.Listener(Reviews, "reviews-routes"), Outbound.Listener("10.96.0.5:9080", "reviews-routes"), routes);
        Assert.Null(await store.Apply(TypeUrls.Listener, [], ["unknown.example.com:9080", "10.96.0.9:9080"], "2"));
        var toVip = Outbound.Request("unknown.example.com");
        toVip.Features.Set(new CapturedConnection(new IPEndPoint(IPAddress.Parse("10.96.0.5"), 9080)));
        var toOther = Outbound.Request("unknown.example.com");
        toOther.Features.Set(new CapturedConnection(new IPEndPoint(IPAddress.Parse("10.96.0.9"), 9080)));

        var routed = Assert.IsType<RouteSelection.Routed>(await new RouteSelector(Outbound.Options, store).Select(toVip));
        var passed = await new RouteSelector(Outbound.Options, store).Select(toOther);

        Assert.Equal(("10.96.0.5:9080", "reviews", "all"), (routed.Listener.Name, routed.Host.Name, routed.Route.Name));
        Assert.Equal(new RouteSelection.Unknown("10.96.0.9", 9080), passed);
    }

    [Fact]
    public async Task An_ipv6_vip_is_asked_for_without_brackets_and_matched_with_them()
    {
        // The control plane keys a VIP's grain by the bare address; the route's domains bracket it, as Envoy's do.
        var routes = Resources.Parse<RouteConfiguration>("""
            {"name": "reviews-routes", "virtual_hosts": [{"name": "reviews", "domains": ["reviews:9080", "[fd00::5]:9080"],
              "routes": [{"name": "all", "match": {"prefix": "/"}, "route": {"cluster": "v1"}}]}]}
            """);
        var store = await Outbound.Store(Outbound.Listener(Reviews, "reviews-routes"), Outbound.Listener("fd00::5:9080", "reviews-routes"), routes);
        Assert.Null(await store.Apply(TypeUrls.Listener, [], ["unknown.example.com:9080"], "2"));
        var byHost = Outbound.Request("[fd00::5]:9080");
        byHost.Features.Set(new CapturedConnection(new IPEndPoint(IPAddress.Parse("fd00::5"), 9080)));
        var unknownHost = Outbound.Request("unknown.example.com");
        unknownHost.Features.Set(new CapturedConnection(new IPEndPoint(IPAddress.Parse("fd00::5"), 9080)));

        var byHostRouted = Assert.IsType<RouteSelection.Routed>(await new RouteSelector(Outbound.Options, store).Select(byHost));
        var unknownRouted = Assert.IsType<RouteSelection.Routed>(await new RouteSelector(Outbound.Options, store).Select(unknownHost));

        Assert.Equal(("fd00::5:9080", "all"), (byHostRouted.Listener.Name, byHostRouted.Route.Name));
        Assert.Equal(("fd00::5:9080", "all"), (unknownRouted.Listener.Name, unknownRouted.Route.Name));
    }

    [Fact]
    public async Task A_captured_request_to_a_pod_ip_is_routed_by_the_service_the_endpoint_belongs_to_and_kept_on_it()
    {
        var cluster = Resources.Parse<Envoy.Config.Cluster.V3.Cluster>("""{"name": "outbound|9080||reviews.default.svc.cluster.local", "type": "EDS", "eds_cluster_config": {"eds_config": {"ads": {}}}}""");
        var endpoints = Resources.Parse<Envoy.Config.Endpoint.V3.ClusterLoadAssignment>("""
            {"cluster_name": "outbound|9080||reviews.default.svc.cluster.local", "endpoints": [{"lb_endpoints": [
              {"endpoint": {"address": {"socket_address": {"address": "10.244.1.5", "port_value": 9081}}}},
              {"endpoint": {"address": {"socket_address": {"address": "10.244.1.6", "port_value": 9081}}}}]}]}
            """);
        var store = await Outbound.Store(Outbound.Listener(Reviews, "reviews-routes"), Routes, cluster, endpoints);
        Assert.Null(await store.Apply(TypeUrls.Listener, [], ["unknown.example.com:9081", "unknown.example.com:9080", "10.244.1.5:9081", "10.244.1.9:9081", "10.244.1.5:9080"], "2"));
        var toPod = Outbound.Request("unknown.example.com", "/api/1");
        toPod.Features.Set(new CapturedConnection(new IPEndPoint(IPAddress.Parse("10.244.1.5"), 9081)));
        var toStranger = Outbound.Request("unknown.example.com", "/api/1");
        toStranger.Features.Set(new CapturedConnection(new IPEndPoint(IPAddress.Parse("10.244.1.9"), 9081)));
        var toOtherPort = Outbound.Request("unknown.example.com:9080", "/api/1");
        toOtherPort.Features.Set(new CapturedConnection(new IPEndPoint(IPAddress.Parse("10.244.1.5"), 9080)));

        var routed = Assert.IsType<RouteSelection.Routed>(await new RouteSelector(Outbound.Options, store).Select(toPod));

        Assert.Equal((Reviews, "api"), (routed.Listener.Name, routed.Route.Name));
        Assert.Equal("10.244.1.5:9081", toPod.Items[RequestItems.Endpoint]);
        Assert.Equal(new RouteSelection.Unknown("10.244.1.9", 9081), await new RouteSelector(Outbound.Options, store).Select(toStranger));
        // The pod's address on a port that is not the endpoint's is not that endpoint.
        Assert.Equal(new RouteSelection.Unknown("10.244.1.5", 9080), await new RouteSelector(Outbound.Options, store).Select(toOtherPort));
    }

    [Fact]
    public async Task A_captured_request_without_a_port_in_its_host_takes_the_port_it_connected_to()
    {
        var store = await Outbound.Store(Outbound.Listener(Reviews, "reviews-routes"), Routes);
        var context = Outbound.Request("reviews", "/api/1");
        context.Features.Set(new CapturedConnection(new IPEndPoint(IPAddress.Parse("10.96.0.15"), 9080)));

        var selection = await new RouteSelector(Outbound.Options, store).Select(context);

        Assert.Equal(Reviews, Assert.IsType<RouteSelection.Routed>(selection).Listener.Name);
    }

    [Fact]
    public async Task A_path_the_listener_refuses_is_answered_before_routing()
    {
        var listener = Outbound.Listener(Reviews, "reviews-routes");
        var manager = listener.ApiListener.ApiListener_.Unpack<Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager>();
        manager.PathWithEscapedSlashesAction = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager.Types.PathWithEscapedSlashesAction.RejectRequest;
        listener.ApiListener.ApiListener_ = Google.Protobuf.WellKnownTypes.Any.Pack(manager);
        var store = await Outbound.Store(listener, Routes);
        var context = Outbound.Request("reviews:9080", "/api%2Fx");

        var selection = await new RouteSelector(Outbound.Options, store).Select(context);

        Assert.Same(RouteSelection.Answered.Instance, selection);
        Assert.Equal(400, context.Response.StatusCode);
    }

    [Fact]
    public async Task A_listener_not_held_yet_is_fetched_on_demand()
    {
        var store = await Outbound.Store(Routes);
        var selector = new RouteSelector(Outbound.Options with { DiscoveryTimeout = TimeSpan.FromSeconds(10) }, store);
        var subscribed = new TaskCompletionSource();
        store.SubscriptionsChanged += () => subscribed.TrySetResult();

        var selecting = selector.Select(Outbound.Request("reviews:9080", "/api"));
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(Reviews, store.Desired()[TypeUrls.Listener]);
        var listener = Outbound.Listener(Reviews, "reviews-routes");
        Assert.Null(await store.Apply(TypeUrls.Listener, [new ReceivedResource(Reviews, "2", listener)], [], "2"));
        // The listener is ready once what its routes send to has arrived too (here: known not to exist).
        Assert.False(selecting.IsCompleted);
        Assert.Null(await store.Apply(TypeUrls.Cluster, [], ["v1", "v2", "v3"], "2"));

        Assert.Equal("api", Assert.IsType<RouteSelection.Routed>(await selecting.WaitAsync(TimeSpan.FromSeconds(10))).Route.Name);
    }

    [Theory]
    [InlineData(false, "api.example.com:8080", "/v1/items?page=2", "https://api.example.com/v1/items?page=2")]
    [InlineData(false, "api.example.com", "/", "https://api.example.com/")]
    [InlineData(true, "api.example.com", "/", null)]
    public async Task A_host_that_requires_TLS_redirects_plain_text_requests_to_https(bool tls, string authority, string target, string? location)
    {
        var store = await Outbound.Store(Resources.Parse<RouteConfiguration>("""
            {"name": "gw", "virtual_hosts": [{"name": "api", "domains": ["api.example.com", "api.example.com:8080"], "require_tls": "ALL",
              "routes": [{"name": "all", "match": {"prefix": "/"}, "route": {"cluster": "v1"}}]}]}
            """));
        var context = Outbound.Request(authority, target);

        var selection = await RouteSelector.Route(context, store.Current, new ListenerModel("gateway|ns|gw|8080", "gw", null, false), fallbackDomain: null, tls);

        if (location is null)
        {
            Assert.Equal("all", Assert.IsType<RouteSelection.Routed>(selection).Route.Name);
            return;
        }
        Assert.IsType<RouteSelection.Answered>(selection);
        Assert.Equal((301, location), (context.Response.StatusCode, context.Response.Headers.Location.ToString()));
    }
}
