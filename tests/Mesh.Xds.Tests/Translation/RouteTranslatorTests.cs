#pragma warning disable CS0612, CS0618 // the header matchers gRPC clients read are deprecated in Envoy
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.Fault.V3;
using Envoy.Type.V3;
using HeaderAppendAction = Envoy.Config.Core.V3.HeaderValueOption.Types.HeaderAppendAction;
using Mesh.Xds.Translation;

namespace Mesh.Xds.Tests.Translation;

public sealed class RouteTranslatorTests
{
    private static IReadOnlyList<Route> Routes(string http, string? destinationRule = null)
    {
        var model = Bookinfo.Model(destinationRule, Bookinfo.VirtualService(http));
        return RouteTranslator.Translate(model, Bookinfo.Port).VirtualHosts.Single().Routes;
    }

    [Fact]
    public void Without_a_VirtualService_one_default_route_goes_to_the_whole_service()
    {
        var configuration = RouteTranslator.Translate(Bookinfo.Model(), Bookinfo.Port);

        Assert.Equal("reviews.bookinfo.svc.cluster.local:9080", configuration.Name);
        var route = Assert.Single(Assert.Single(configuration.VirtualHosts).Routes);
        Assert.Equal("/", route.Match.Prefix);
        Assert.Equal("outbound|9080||reviews.bookinfo.svc.cluster.local", route.Route_.Cluster);
        Assert.Null(route.Route_.MaxStreamDuration);
    }

    [Fact]
    public void Virtual_host_has_the_domains_Istio_adds_for_a_kubernetes_service()
    {
        var host = RouteTranslator.Translate(Bookinfo.Model(), Bookinfo.Port).VirtualHosts.Single();

        Assert.Equal("reviews.bookinfo.svc.cluster.local:9080", host.Name);
        Assert.Equal(
            [
                "reviews.bookinfo.svc.cluster.local", "reviews.bookinfo.svc.cluster.local:9080", "reviews", "reviews:9080",
                "reviews.bookinfo", "reviews.bookinfo:9080", "reviews.bookinfo.svc", "reviews.bookinfo.svc:9080",
            ],
            host.Domains);
    }

    [Fact]
    public void The_services_VIPs_are_domains_of_its_virtual_host_so_a_request_to_the_address_is_routed()
    {
        var model = Bookinfo.Model() with { Addresses = ["10.96.0.5", "2001:db8::5"] };

        var host = RouteTranslator.Translate(model, Bookinfo.Port).VirtualHosts.Single();

        Assert.Equal(["10.96.0.5", "10.96.0.5:9080", "[2001:db8::5]", "[2001:db8::5]:9080"], host.Domains.Skip(8));
    }

    [Fact]
    public void An_80_20_split_becomes_weighted_clusters_in_the_VirtualService_namespace()
    {
        var route = Assert.Single(Routes("""
            [{"route": [
              {"destination": {"host": "reviews", "subset": "v1"}, "weight": 80},
              {"destination": {"host": "reviews", "subset": "v2"}, "weight": 20},
              {"destination": {"host": "reviews", "subset": "v3"}, "weight": 0}]}]
            """));

        Assert.Equal("/", route.Match.Prefix);
        Assert.Equal(
            [("outbound|9080|v1|reviews.bookinfo.svc.cluster.local", 80u), ("outbound|9080|v2|reviews.bookinfo.svc.cluster.local", 20u)],
            route.Route_.WeightedClusters.Clusters.Select(c => (c.Name, c.Weight ?? 0)));
    }

    [Fact]
    public void Header_match_sends_canaries_to_v3_and_the_rest_to_v1()
    {
        var routes = Routes("""
            [{"match": [{"headers": {"x-canary": {"exact": "yes"}}}], "route": [{"destination": {"host": "reviews", "subset": "v3"}}]},
             {"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]
            """);

        Assert.Equal(2, routes.Count);
        var header = Assert.Single(routes[0].Match.Headers);
        Assert.Equal("x-canary", header.Name);
        Assert.Equal("yes", header.ExactMatch);
        Assert.Equal("outbound|9080|v3|reviews.bookinfo.svc.cluster.local", routes[0].Route_.Cluster);
        Assert.Equal("outbound|9080|v1|reviews.bookinfo.svc.cluster.local", routes[1].Route_.Cluster);
    }

    [Theory]
    [InlineData("""{"uri": {"exact": "/reviews.Reviews/Get"}}""", "path", "/reviews.Reviews/Get")]
    [InlineData("""{"uri": {"prefix": "/reviews.Reviews/"}}""", "prefix", "/reviews.Reviews/")]
    [InlineData("""{"uri": {"regex": "/reviews\\..*"}}""", "regex", "/reviews\\..*")]
    [InlineData("""{"headers": {"x-user": {}}}""", "prefix", "/")]
    public void Uri_match_becomes_the_path_specifier(string match, string kind, string expected)
    {
        var route = Assert.Single(Routes($$$"""[{"match": [{{{match}}}], "route": [{"destination": {"host": "reviews"}}]}]"""));

        var actual = kind switch
        {
            "path" => route.Match.Path,
            "prefix" => route.Match.Prefix,
            _ => route.Match.SafeRegex.Regex,
        };
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Match_details_become_headers_query_parameters_and_case_insensitivity()
    {
        var route = Assert.Single(Routes("""
            [{"match": [{"uri": {"prefix": "/A"}, "ignoreUriCase": true, "method": {"exact": "POST"},
                         "authority": {"prefix": "reviews"}, "withoutHeaders": {"x-debug": {}, "x-env": {"exact": "dev"}},
                         "queryParams": {"q": {"regex": "a+"}}}],
              "route": [{"destination": {"host": "reviews"}}]}]
            """));

        Assert.False(route.Match.CaseSensitive);
        var headers = route.Match.Headers.ToDictionary(h => h.Name);
        Assert.True(headers["x-debug"].PresentMatch);
        Assert.True(headers["x-debug"].InvertMatch);
        Assert.Equal("dev", headers["x-env"].ExactMatch);
        Assert.True(headers["x-env"].InvertMatch);
        Assert.Equal("POST", headers[":method"].ExactMatch);
        Assert.Equal("reviews", headers[":authority"].PrefixMatch);
        Assert.Equal("a+", Assert.Single(route.Match.QueryParameters).StringMatch.SafeRegex.Regex);
    }

    [Fact]
    public void Empty_header_values_mean_what_Istio_means()
    {
        var route = Assert.Single(Routes("""
            [{"match": [{"headers": {"x-any": {"prefix": ""}, "x-empty": {"exact": ""}}, "queryParams": {"q": {"prefix": ""}}}],
              "route": [{"destination": {"host": "reviews"}}]}]
            """));

        var headers = route.Match.Headers.ToDictionary(h => h.Name);
        // Istio's catch-all: an empty prefix is "present" (Envoy refuses an empty prefix_match).
        Assert.True(headers["x-any"].PresentMatch);
        // The legacy exact_match "" matches every value in Envoy; Istio means an empty value.
        Assert.Equal("^$", headers["x-empty"].SafeRegexMatch.Regex);
        Assert.True(Assert.Single(route.Match.QueryParameters).PresentMatch);
    }

    [Fact]
    public void Several_match_entries_become_several_routes_and_other_ports_are_left_out()
    {
        var routes = Routes("""
            [{"name": "split", "match": [{"uri": {"prefix": "/a"}}, {"uri": {"prefix": "/b"}, "port": 9080}, {"uri": {"prefix": "/c"}, "port": 9443}],
              "route": [{"destination": {"host": "reviews", "subset": "v2"}}]}]
            """);

        Assert.Equal(["/a", "/b"], routes.Select(r => r.Match.Prefix));
        Assert.All(routes, r => Assert.Equal("outbound|9080|v2|reviews.bookinfo.svc.cluster.local", r.Route_.Cluster));
        Assert.All(routes, r => Assert.Equal("split", r.Name));
    }

    [Fact]
    public void An_unnamed_route_is_named_after_its_virtual_service_and_index_for_sidecars_too()
    {
        var routes = Routes("""
            [{"name": "canary", "match": [{"headers": {"x-canary": {"exact": "1"}}}], "route": [{"destination": {"host": "reviews", "subset": "v2"}}]},
             {"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]
            """);

        Assert.Equal(["canary", "bookinfo.reviews-0.1"], routes.Select(r => r.Name));
    }

    [Fact]
    public void Destination_port_and_foreign_host_name_the_cluster()
    {
        var route = Assert.Single(Routes("""[{"route": [{"destination": {"host": "ratings.other.svc.cluster.local", "port": {"number": 9090}}}]}]"""));

        Assert.Equal("outbound|9090||ratings.other.svc.cluster.local", route.Route_.Cluster);
    }

    [Fact]
    public void Timeout_sets_max_stream_duration_and_timeout()
    {
        var route = Assert.Single(Routes("""[{"timeout": "1.5s", "route": [{"destination": {"host": "reviews"}}]}]"""));

        Assert.Equal(1, route.Route_.MaxStreamDuration.MaxStreamDuration_.Seconds);
        Assert.Equal(500_000_000, route.Route_.MaxStreamDuration.MaxStreamDuration_.Nanos);
        Assert.Equal(route.Route_.MaxStreamDuration.MaxStreamDuration_, route.Route_.Timeout);
    }

    [Fact]
    public void Fault_abort_and_delay_override_the_fault_filter_in_parts_per_million()
    {
        var route = Assert.Single(Routes("""
            [{"fault": {"delay": {"fixedDelay": "5s", "percentage": {"value": 0.1}},
                        "abort": {"grpcStatus": "UNAVAILABLE", "percentage": {"value": 12.5}}},
              "route": [{"destination": {"host": "reviews"}}]}]
            """));

        var fault = route.TypedPerFilterConfig["envoy.filters.http.fault"].Unpack<HTTPFault>();
        Assert.Equal(5, fault.Delay.FixedDelay.Seconds);
        Assert.Equal(1_000u, fault.Delay.Percentage.Numerator);
        Assert.Equal(FractionalPercent.Types.DenominatorType.Million, fault.Delay.Percentage.Denominator);
        Assert.Equal(14u, fault.Abort.GrpcStatus);
        Assert.Equal(125_000u, fault.Abort.Percentage.Numerator);
    }

    [Fact]
    public void Http_abort_without_percentage_applies_to_every_request()
    {
        var route = Assert.Single(Routes("""[{"fault": {"abort": {"httpStatus": 503}}, "route": [{"destination": {"host": "reviews"}}]}]"""));

        var fault = route.TypedPerFilterConfig["envoy.filters.http.fault"].Unpack<HTTPFault>();
        Assert.Null(fault.Delay);
        Assert.Equal(503u, fault.Abort.HttpStatus);
        Assert.Equal(1_000_000u, fault.Abort.Percentage.Numerator);
    }

    [Fact]
    public void Retries_take_the_shape_gRFC_A44_reads()
    {
        var route = Assert.Single(Routes("""
            [{"retries": {"attempts": 3, "perTryTimeout": "2s", "retryOn": "unavailable,cancelled,503"},
              "route": [{"destination": {"host": "reviews"}}]}]
            """));

        var retry = route.Route_.RetryPolicy;
        Assert.Equal("unavailable,cancelled,retriable-status-codes", retry.RetryOn);
        Assert.Equal([503u], retry.RetriableStatusCodes);
        Assert.Equal(3u, retry.NumRetries);
        Assert.Equal(2, retry.PerTryTimeout.Seconds);
        Assert.Equal(25_000_000, retry.RetryBackOff.BaseInterval.Nanos);
        Assert.Equal(250_000_000, retry.RetryBackOff.MaxInterval.Nanos);
    }

    [Theory]
    [InlineData("""{"attempts": 2}""", "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes")]
    [InlineData("""{"attempts": 0, "retryOn": "unavailable"}""", null)]
    public void Retry_defaults_and_disabling(string retries, string? retryOn)
    {
        var route = Assert.Single(Routes($$$"""[{"retries": {{{retries}}}, "route": [{"destination": {"host": "reviews"}}]}]"""));

        Assert.Equal(retryOn, route.Route_.RetryPolicy?.RetryOn);
    }

    [Fact]
    public void Rewrite_headers_and_mirror_are_translated()
    {
        var route = Assert.Single(Routes("""
            [{"rewrite": {"uri": "/v2/", "authority": "reviews-v2"},
              "headers": {"request": {"set": {"x-b": "1"}, "add": {"x-a": "2"}, "remove": ["x-c"]}, "response": {"remove": ["server"]}},
              "mirror": {"host": "reviews", "subset": "v3"}, "mirrorPercentage": {"value": 5},
              "route": [{"destination": {"host": "reviews"}}]}]
            """));

        Assert.Equal("/v2/", route.Route_.PrefixRewrite);
        Assert.Equal("reviews-v2", route.Route_.HostRewriteLiteral);
        Assert.Equal(
            [("x-b", HeaderAppendAction.OverwriteIfExistsOrAdd), ("x-a", HeaderAppendAction.AppendIfExistsOrAdd)],
            route.RequestHeadersToAdd.Select(h => (h.Header.Key, h.AppendAction)));
        Assert.Equal(["x-c"], route.RequestHeadersToRemove);
        Assert.Equal(["server"], route.ResponseHeadersToRemove);
        var mirror = Assert.Single(route.Route_.RequestMirrorPolicies);
        Assert.Equal("outbound|9080|v3|reviews.bookinfo.svc.cluster.local", mirror.Cluster);
        Assert.Equal(50_000u, mirror.RuntimeFraction.DefaultValue.Numerator);
    }

    [Fact]
    public void Direct_response_fails_requests_with_its_status_through_the_fault_filter()
    {
        var route = Assert.Single(Routes("""[{"directResponse": {"status": 418}}]"""));

        Assert.Equal("outbound|9080||reviews.bookinfo.svc.cluster.local", route.Route_.Cluster);
        var fault = route.TypedPerFilterConfig["envoy.filters.http.fault"].Unpack<HTTPFault>();
        Assert.Equal(418u, fault.Abort.HttpStatus);
    }

    [Fact]
    public void Cors_is_an_optional_filter_config_so_gRPC_clients_do_not_NACK()
    {
        var route = Assert.Single(Routes("""
            [{"corsPolicy": {"allowOrigins": [{"exact": "https://a.example"}], "allowMethods": ["GET", "POST"], "maxAge": "24h"},
              "route": [{"destination": {"host": "reviews"}}]}]
            """));

        var config = route.TypedPerFilterConfig["envoy.filters.http.cors"].Unpack<FilterConfig>();
        Assert.True(config.IsOptional);
        var policy = config.Config.Unpack<Envoy.Extensions.Filters.Http.Cors.V3.CorsPolicy>();
        Assert.Equal("GET,POST", policy.AllowMethods);
        Assert.Equal("86400", policy.MaxAge);
    }

    [Theory]
    [InlineData("\"FORWARD\"", true)]
    [InlineData("\"IGNORE\"", false)]
    [InlineData("\"UNSPECIFIED\"", null)]
    [InlineData("null", null)]
    public void Cors_unmatchedPreflights_is_forward_not_matching_preflights(string unmatched, bool? forwards)
    {
        var route = Assert.Single(Routes($$$"""
            [{"corsPolicy": {"allowOrigins": [{"exact": "https://a.example"}], "unmatchedPreflights": {{{unmatched}}}},
              "route": [{"destination": {"host": "reviews"}}]}]
            """));

        var policy = route.TypedPerFilterConfig["envoy.filters.http.cors"].Unpack<FilterConfig>().Config.Unpack<Envoy.Extensions.Filters.Http.Cors.V3.CorsPolicy>();
        Assert.Equal(forwards, policy.ForwardNotMatchingPreflights);
        Assert.Equal("https://a.example", Assert.Single(policy.AllowOriginStringMatch).Exact);
    }

    [Fact]
    public void Consistent_hash_of_the_same_host_adds_the_hash_policy()
    {
        const string rule = """{"host": "reviews", "trafficPolicy": {"loadBalancer": {"consistentHash": {"httpHeaderName": "x-user"}}}}""";

        var route = Assert.Single(Routes("""[{"route": [{"destination": {"host": "reviews"}}]}]""", rule));

        Assert.Equal("x-user", Assert.Single(route.Route_.HashPolicy).Header.HeaderName);
    }

    [Fact]
    public void VirtualService_bound_only_to_a_gateway_is_ignored()
    {
        var model = Bookinfo.Model(null, """{"hosts": ["reviews"], "gateways": ["ingress"], "http": [{"route": [{"destination": {"host": "reviews", "subset": "v1"}}]}]}""");

        var route = RouteTranslator.Translate(model, Bookinfo.Port).VirtualHosts.Single().Routes.Single();

        Assert.Equal("default", route.Name);
    }
}
