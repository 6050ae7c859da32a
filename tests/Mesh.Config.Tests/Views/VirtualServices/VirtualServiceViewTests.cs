using System.Text.Json.Nodes;
using Mesh.Config.Traffic;
using Mesh.Config.Views;
using Mesh.Config.Views.VirtualServices;

namespace Mesh.Config.Tests.Views.VirtualServices;

public sealed class VirtualServiceViewTests
{
    private static VirtualServiceView View(string json) => VirtualServiceView.From(JsonNode.Parse(json)!.AsObject());

    private static HttpRoute Route(string http) => Assert.Single(View($$"""{"hosts": ["reviews"], "http": [{{http}}]}""").Http);

    [Theory]
    [InlineData("""{"hosts": ["r"], "http": [{"route": [{"destination": {"host": "r"}}]}]}""", true)]
    [InlineData("""{"hosts": ["r"], "gateways": [], "http": []}""", true)]
    [InlineData("""{"hosts": ["r"], "gateways": ["mesh", "edge"], "http": []}""", true)]
    [InlineData("""{"hosts": ["r"], "gateways": ["edge"], "http": []}""", false)]
    public void AppliesToMesh_WhenNoGatewaysOrMeshIsListed(string spec, bool expected)
    {
        Assert.Equal(expected, View(spec).AppliesToMesh);
    }

    [Fact]
    public void ServiceHosts_QualifiesShortNamesAndLeavesOutWildcards()
    {
        var view = View("""{"hosts": ["reviews", "api.example.com", "*.example.com", "reviews"], "http": []}""");

        Assert.Equal(["reviews.shop.svc.cluster.local", "api.example.com"], view.ServiceHosts("shop"));
    }

    [Fact]
    public void A_route_without_match_matches_everything_and_reads_no_policy()
    {
        var route = Route("""{"route": [{"destination": {"host": "reviews"}}]}""");

        Assert.Empty(route.Match);
        Assert.Equal("", route.Name);
        var destination = Assert.Single(route.Route!);
        Assert.Equal((new Destination("reviews", null, null), (int?)null), (destination.Destination, destination.Weight));
        Assert.Same(RouteHeaders.None, destination.Headers);
        Assert.Null(route.Retries);
        Assert.Null(route.Fault);
        Assert.Null(route.TimeoutNanos);
        Assert.Same(RouteHeaders.None, route.Headers);
    }

    [Fact]
    public void Destinations_read_subset_port_weight_and_headers()
    {
        var route = Route("""
            {"route": [
              {"destination": {"host": "reviews", "subset": "v1", "port": {"number": 9080}}, "weight": 75,
               "headers": {"request": {"set": {"b": "2", "a": "1"}, "remove": ["x"]}}},
              {"destination": {"host": "reviews", "subset": "v2"}, "weight": 25}]}
            """);

        Assert.Equal(new Destination("reviews", "v1", 9080), route.Route![0].Destination);
        Assert.Equal([75, 25], route.Route.Select(d => d.Weight));
        Assert.Equal(["a", "b"], route.Route[0].Headers.Request.Set.Keys);
        Assert.Equal(["x"], route.Route[0].Headers.Request.Remove);
        Assert.Empty(route.Route[0].Headers.Response.Set);
    }

    [Fact]
    public void Match_keeps_absent_apart_from_empty()
    {
        var match = Assert.Single(Route("""
            {"match": [{"uri": {"prefix": "/api"}, "method": {}, "headers": {"z": {"exact": "1"}, "a": {}},
                        "port": 9080, "gateways": [], "sourceNamespace": "web"}],
             "route": [{"destination": {"host": "reviews"}}]}
            """).Match);

        Assert.Equal(new StringMatch(null, "/api", null), match.Uri);
        Assert.Equal(new StringMatch(null, null, null), match.Method);
        Assert.Null(match.Authority);
        Assert.Equal(["a", "z"], match.Headers.Keys);
        Assert.Equal(new StringMatch(null, null, null), match.Headers["a"]);
        Assert.Equal(9080, match.Port);
        Assert.Equal([], match.Gateways!);
        Assert.True(match.NamesSource);
        Assert.False(match.IgnoreUriCase);
    }

    [Fact]
    public void Retries_default_to_off_with_Istios_conditions()
    {
        var retries = Route("""{"retries": {}, "route": [{"destination": {"host": "reviews"}}]}""").Retries!;

        Assert.Equal(new HttpRetry(0, RetryConditions.IstioDefaultOn, null, null), retries);
    }

    [Fact]
    public void Durations_are_read_in_nanoseconds()
    {
        var route = Route("""{"timeout": "1.5s", "retries": {"attempts": 3, "perTryTimeout": "2ms"}, "route": [{"destination": {"host": "r"}}]}""");

        Assert.Equal(1_500_000_000, route.TimeoutNanos);
        Assert.Equal(2_000_000, route.Retries!.PerTryTimeoutNanos);
        Assert.Equal(3, route.Retries.Attempts);
    }

    [Theory]
    [InlineData("""{"delay": {"fixedDelay": "5s"}}""", 100)]
    [InlineData("""{"delay": {"fixedDelay": "5s", "percent": 20}}""", 20)]
    [InlineData("""{"delay": {"fixedDelay": "5s", "percentage": {"value": 0.5}}}""", 0.5)]
    public void Fault_delay_percentage_defaults_to_all_requests(string fault, double percent)
    {
        var delay = Route($$$"""{"fault": {{{fault}}}, "route": [{"destination": {"host": "r"}}]}""").Fault!.Delay!;

        Assert.Equal((5_000_000_000L, percent), (delay.FixedDelayNanos!.Value, delay.Percent));
    }

    [Fact]
    public void Redirect_code_defaults_to_301_and_route_is_null()
    {
        var route = Route("""{"redirect": {"uri": "/v2"}}""");

        Assert.Null(route.Route);
        Assert.Equal(HttpRedirect.DefaultCode, route.Redirect!.RedirectCode);
        Assert.Equal("/v2", route.Redirect.Uri);
    }

    [Fact]
    public void Mirror_percent_reads_the_deprecated_whole_number_form()
    {
        var route = Route("""{"mirror": {"host": "shadow"}, "mirrorPercent": 10, "route": [{"destination": {"host": "r"}}]}""");

        Assert.Equal(("shadow", 10d), (route.Mirror!.Host, route.MirrorPercent!.Value));
    }

    [Fact]
    public void Destinations_name_every_routed_and_mirrored_host_with_its_path()
    {
        var view = View("""
            {"hosts": ["r"],
             "http": [{"route": [{"destination": {"host": "a"}}], "mirrors": [{"destination": {"host": "m"}}]}],
             "tcp": [{"route": [{"destination": {"host": "t"}}]}]}
            """);

        Assert.Equal(
            [("spec.http[0].route[0].destination", "a"), ("spec.http[0].mirrors[0].destination", "m"), ("spec.tcp[0].route[0].destination", "t")],
            view.Destinations().Select(d => (d.Path, d.Destination.Host)));
    }
}
