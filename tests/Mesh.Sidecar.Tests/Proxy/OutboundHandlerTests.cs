using Envoy.Config.Route.V3;
using Google.Protobuf;
using Mesh.Sidecar.Proxy;
using Mesh.Xds.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Forwarder;
using static Mesh.Sidecar.Tests.Proxy.Forwarding.ScriptedForwarder;
using Resources = Mesh.Sidecar.Tests.Config.Resources;

namespace Mesh.Sidecar.Tests.Proxy;

public sealed class OutboundHandlerTests
{
    private const string Reviews = "reviews.default.svc.cluster.local:9080";
    private const string Cluster = "outbound|9080||reviews.default.svc.cluster.local";

    private static readonly IMessage[] Upstream =
    [
        Resources.Parse<Envoy.Config.Cluster.V3.Cluster>("""{"name": "outbound|9080||reviews.default.svc.cluster.local", "type": "EDS", "eds_cluster_config": {"eds_config": {"ads": {}}}}"""),
        Resources.Parse<Envoy.Config.Endpoint.V3.ClusterLoadAssignment>("""
            {"cluster_name": "outbound|9080||reviews.default.svc.cluster.local", "endpoints": [{"lb_endpoints": [{"endpoint": {"address": {"socket_address": {"address": "10.0.0.1", "port_value": 9080}}}}]}]}
            """),
    ];

    private static RouteConfiguration Routes(string route) => Resources.Parse<RouteConfiguration>($$$"""
        {"name": "9080", "virtual_hosts": [{"name": "reviews", "domains": ["reviews:9080"], "routes": [{{{route}}}]}]}
        """);

    private static async Task<Forwarding.ScriptedForwarder> Handle(HttpContext context, string route, bool faultFilter = false, Func<Forwarding.ScriptedAttempt, Task<ForwarderError>>? upstream = null)
    {
        var store = await Outbound.Store([Outbound.Listener(Reviews, "9080", faultFilter), Routes(route), .. Upstream]);
        Assert.Null(await store.Apply(TypeUrls.Listener, [], ["unknown.example.com:80"], "2"));
        var yarp = Forwarding.Attached([.. store.Current.Clusters.Values.Select(c => Forwarding.Yarp(c))]);
        var forwarder = new Forwarding.ScriptedForwarder(upstream ?? Responds(200));
        var handler = new OutboundHandler(Outbound.Options, store, yarp, new ClusterRuntimes(), Forwarding.Outliers(), forwarder,
            new Upstreams(new ForwarderHttpClientFactory()), new SidecarMetrics(), NullLogger<OutboundHandler>.Instance);
        await handler.Handle(context).WaitAsync(TimeSpan.FromSeconds(10));
        return forwarder;
    }

    [Fact]
    public async Task A_request_addressed_to_one_endpoint_stays_on_it()
    {
        var two = Resources.Parse<Envoy.Config.Endpoint.V3.ClusterLoadAssignment>("""
            {"cluster_name": "outbound|9080||reviews.default.svc.cluster.local", "endpoints": [{"lb_endpoints": [
              {"endpoint": {"address": {"socket_address": {"address": "10.0.0.1", "port_value": 9080}}}},
              {"endpoint": {"address": {"socket_address": {"address": "10.0.0.2", "port_value": 9080}}}}]}]}
            """);
        var store = await Outbound.Store([Outbound.Listener(Reviews, "9080"), Routes("""{"match": {"prefix": "/"}, "route": {"cluster": "outbound|9080||reviews.default.svc.cluster.local"}}"""), Upstream[0], two]);
        var yarp = Forwarding.Attached([.. store.Current.Clusters.Values.Select(c => Forwarding.Yarp(c))]);
        var hosts = new List<object?>();
        for (var i = 0; i < 8; i++)
        {
            var context = Outbound.Request("reviews:9080");
            context.Items[RequestItems.Endpoint] = "10.0.0.2:9080";
            var handler = new OutboundHandler(Outbound.Options, store, yarp, new ClusterRuntimes(), Forwarding.Outliers(), new Forwarding.ScriptedForwarder(Responds(200)),
                new Upstreams(new ForwarderHttpClientFactory()), new SidecarMetrics(), NullLogger<OutboundHandler>.Instance);
            await handler.Handle(context).WaitAsync(TimeSpan.FromSeconds(10));
            hosts.Add(context.Items[RequestItems.UpstreamHost]);
        }

        Assert.All(hosts, host => Assert.Equal("10.0.0.2:9080", host));
    }

    [Fact]
    public async Task A_routed_request_is_forwarded_to_an_endpoint_of_its_cluster()
    {
        var context = Outbound.Request("reviews:9080", "/reviews/1");

        var forwarder = await Handle(context, $$$"""{"name": "all", "match": {"prefix": "/"}, "route": {"cluster": "{{{Cluster}}}"}}""");

        Assert.Equal(["http://10.0.0.1:9080"], forwarder.Destinations);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(Cluster, context.Items[RequestItems.UpstreamCluster]);
        Assert.Equal("10.0.0.1:9080", context.Items[RequestItems.UpstreamHost]);
        Assert.Equal("all", context.Items[RequestItems.Route]);
        Assert.Equal(1, context.Items[RequestItems.Attempts]);
    }

    [Fact]
    public async Task A_cluster_the_sidecar_does_not_hold_is_answered_503_NC()
    {
        var context = Outbound.Request("reviews:9080");

        var forwarder = await Handle(context, """{"match": {"prefix": "/"}, "route": {"cluster": "outbound|9080|v9|reviews"}}""");

        Assert.Empty(forwarder.Destinations);
        Assert.Equal((503, "cluster_not_found", "NC"), (context.Response.StatusCode, Outbound.Body(context), context.Items[RequestItems.ResponseFlags]));
        Assert.Equal("outbound|9080|v9|reviews", context.Items[RequestItems.UpstreamCluster]);
    }

    [Fact]
    public async Task No_matching_route_is_answered_404_NR()
    {
        var context = Outbound.Request("reviews:9080", "/ratings");

        await Handle(context, """{"match": {"prefix": "/reviews"}, "direct_response": {"status": 200}}""");

        Assert.Equal((404, "route_not_found", "NR"), (context.Response.StatusCode, Outbound.Body(context), context.Items[RequestItems.ResponseFlags]));
    }

    [Fact]
    public async Task Redirects_and_direct_responses_are_answered_without_an_upstream()
    {
        var redirected = Outbound.Request("reviews:9080", "/old");
        var answered = Outbound.Request("reviews:9080", "/");

        var first = await Handle(redirected, """{"match": {"prefix": "/"}, "redirect": {"path_redirect": "/new"}}""");
        var second = await Handle(answered, """{"match": {"prefix": "/"}, "direct_response": {"status": 200, "body": {"inline_string": "ok"}}}""");

        Assert.Empty(first.Destinations.Concat(second.Destinations));
        Assert.Equal((301, "http://reviews:9080/new"), (redirected.Response.StatusCode, redirected.Response.Headers.Location.ToString()));
        Assert.Equal((200, "ok"), (answered.Response.StatusCode, Outbound.Body(answered)));
    }

    [Theory]
    [InlineData(true, 418)]
    [InlineData(false, 200)]
    public async Task A_routes_fault_applies_only_on_a_listener_with_the_fault_filter(bool faultFilter, int status)
    {
        var context = Outbound.Request("reviews:9080");

        await Handle(context, """
            {"match": {"prefix": "/"}, "direct_response": {"status": 200},
             "typed_per_filter_config": {"envoy.filters.http.fault": {"@type": "type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault",
               "abort": {"http_status": 418, "percentage": {"numerator": 100}}}}}
            """, faultFilter);

        Assert.Equal(status, context.Response.StatusCode);
    }

    [Theory]
    [InlineData("https://app.example.com", 0)]
    [InlineData("https://evil.example.com", 1)]
    public async Task A_preflight_from_an_allowed_origin_is_answered_without_the_upstream_and_another_goes_upstream(string origin, int forwarded)
    {
        var context = Outbound.Request("reviews:9080", "/", "OPTIONS");
        context.Request.Headers.Origin = origin;
        context.Request.Headers.AccessControlRequestMethod = "POST";

        var forwarder = await Handle(context, Config.CorsCompilerTests.Route(Config.CorsCompilerTests.Policy, $$$"""{"cluster": "{{{Cluster}}}"}"""));

        Assert.Equal(forwarded, forwarder.Destinations.Count);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(forwarded == 0 ? origin : "", context.Response.Headers.AccessControlAllowOrigin.ToString());
    }

    [Fact]
    public async Task An_unknown_host_is_passed_through_with_its_path_as_sent()
    {
        var context = Outbound.Request("unknown.example.com", "/a/%2e%2e/b");
        context.Request.Path = "/b";

        var forwarder = await Handle(context, """{"match": {"prefix": "/"}, "direct_response": {"status": 200}}""");

        Assert.Equal(["http://unknown.example.com:80"], forwarder.Destinations);
        Assert.Equal("/a/%2e%2e/b", context.Request.Path.Value);
        Assert.Equal(Passthrough.ClusterName, context.Items[RequestItems.UpstreamCluster]);
        Assert.Equal("unknown.example.com:80", context.Items[RequestItems.UpstreamHost]);
    }

    [Fact]
    public async Task A_passthrough_that_cannot_connect_is_answered_503_UF_naming_the_host()
    {
        var context = Outbound.Request("unknown.example.com");

        await Handle(context, """{"match": {"prefix": "/"}, "direct_response": {"status": 200}}""", upstream: Fails(ForwarderError.Request));

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("upstream connect error or disconnect/reset before headers. reset reason: connection failure (unknown.example.com:80)", Outbound.Body(context));
        Assert.Equal("UF", context.Items[RequestItems.ResponseFlags]);
        Assert.Null(context.Features.Get<IForwarderErrorFeature>());
    }
}
