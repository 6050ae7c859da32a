using System.Text.Json.Nodes;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Extensions.Filters.Http.Buffer.V3;
using Envoy.Extensions.Filters.Http.LocalRatelimit.V3;
using Envoy.Extensions.Filters.Http.Rbac.V3;
using Mesh.Config.Views.ApiPolicies;
using Mesh.Xds.Protos.ApiPolicy;
using Mesh.Xds.Resources;
using Mesh.Xds.Translation.ApiPolicies;
using Mesh.Xds.Translation.Gateways;
using static Mesh.Xds.Tests.Translation.Gateways.Gateways;

namespace Mesh.Xds.Tests.Translation.ApiPolicies;

public sealed class ApiPolicyTranslatorTests
{
    private const string Hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private static ApiPolicyInput Policy(string name, string spec, string @namespace = "istio-system") =>
        new($"ApiPolicy/{@namespace}/{name}", @namespace, ApiPolicyView.From(JsonNode.Parse(spec)!.AsObject()));

    private static readonly BoundRoute Orders = Route("istio-system", "orders", Http("""["api.example.com", "www.example.com"]"""));

    private static RouteConfiguration Translate(params ApiPolicyInput[] policies) =>
        GatewayRouteTranslator.Translate(WorkloadNamespace, Workload, 80,
            GatewayInputs.Of(Gateway($"[{On(80, "HTTP", """["*"]""")}]", Orders)) with { ApiPolicies = policies })!;

    private static Google.Protobuf.Collections.MapField<string, Google.Protobuf.WellKnownTypes.Any> ConfigOf(RouteConfiguration routes, string host) =>
        routes.VirtualHosts.Single(v => v.Domains[0] == host).Routes[0].TypedPerFilterConfig;

    [Fact]
    public void A_limit_is_Envoys_local_token_bucket_with_draft_03_headers_and_RESOURCE_EXHAUSTED_for_gRPC()
    {
        var routes = Translate(Policy("p", """
            {"targetRefs": [{"kind": "Gateway", "name": "gw"}],
             "rateLimits": [{"name": "per-ip", "key": {"type": "ClientIp"}, "maxTokens": 10, "tokensPerFill": 5, "fillInterval": "2s"}]}
            """));

        var bucket = ConfigOf(routes, "api.example.com")[ApiPolicyFilters.LocalRateLimitPrefix + "per-ip"].Unpack<LocalRateLimit>();
        Assert.Equal((10u, 5u, 2L), (bucket.TokenBucket.MaxTokens, bucket.TokenBucket.TokensPerFill!.Value, bucket.TokenBucket.FillInterval.Seconds));
        Assert.Equal(Envoy.Type.V3.StatusCode.TooManyRequests, bucket.Status.Code);
        Assert.Equal(XRateLimitHeadersRFCVersion.DraftVersion03, bucket.EnableXRatelimitHeaders);
        Assert.True(bucket.RateLimitedAsResourceExhausted);
        Assert.Equal(100u, bucket.FilterEnforced.DefaultValue.Numerator);
        var mesh = ConfigOf(routes, "api.example.com")[ApiPolicyFilters.ApiPolicy].Unpack<ApiPolicyRoute>();
        Assert.Equal("ApiPolicy/istio-system/p", mesh.Policy);
        Assert.Equal(("per-ip", RateLimitRule.Types.KeyType.ClientIp, RateLimitRule.Types.Scope.Local), (mesh.RateLimits[0].Name, mesh.RateLimits[0].KeyType, mesh.RateLimits[0].Scope));
    }

    [Fact]
    public void Keys_consumers_and_cluster_limits_travel_in_Meshs_own_config()
    {
        var routes = Translate(Policy("p", $$$"""
            {"targetRefs": [{"kind": "VirtualService", "name": "orders"}],
             "rateLimits": [{"name": "c", "match": {"pathPrefix": "/v1", "methods": ["POST"]}, "key": {"type": "Consumer"}, "maxTokens": 100, "fillInterval": "1m", "scope": "Cluster", "failureMode": "Closed"}],
             "apiKeys": {"in": "query", "name": "apikey", "consumers": [{"name": "acme", "keyHashes": ["{{{Hash}}}"]}]}}
            """));

        var mesh = ConfigOf(routes, "api.example.com")[ApiPolicyFilters.ApiPolicy].Unpack<ApiPolicyRoute>();
        Assert.Equal((ApiKeys.Types.Location.Query, "apikey", "acme", Hash),
            (mesh.ApiKeys.In, mesh.ApiKeys.Name, mesh.ApiKeys.Consumers[0].Name, mesh.ApiKeys.Consumers[0].KeySha256[0]));
        var limit = mesh.RateLimits[0];
        Assert.Equal(("/v1", "POST", RateLimitRule.Types.KeyType.Consumer, RateLimitRule.Types.Scope.Cluster, RateLimitRule.Types.FailureMode.Closed),
            (limit.PathPrefix, limit.Methods[0], limit.KeyType, limit.Scope, limit.FailureMode));
    }

    [Fact]
    public void IP_lists_are_one_RBAC_deny_set_on_the_trusted_client_address_and_the_body_limit_Envoys_buffer()
    {
        var routes = Translate(Policy("p", """
            {"targetRefs": [{"kind": "Gateway", "name": "gw"}], "ipAllow": ["10.0.0.0/8"], "ipDeny": ["10.1.2.3"], "trustedHops": 1, "maxRequestBodyBytes": 1024}
            """));

        var config = ConfigOf(routes, "www.example.com");
        var rules = config[ApiPolicyFilters.IpAccess].Unpack<RBACPerRoute>().Rbac.Rules;
        Assert.Equal(Envoy.Config.Rbac.V3.RBAC.Types.Action.Deny, rules.Action);
        Assert.Equal(("10.1.2.3", 32u), (rules.Policies["ip-deny"].Principals[0].OrIds.Ids[0].RemoteIp.AddressPrefix, rules.Policies["ip-deny"].Principals[0].OrIds.Ids[0].RemoteIp.PrefixLen));
        Assert.Equal(("10.0.0.0", 8u), (rules.Policies["ip-allow"].Principals[0].NotId.OrIds.Ids[0].RemoteIp.AddressPrefix, rules.Policies["ip-allow"].Principals[0].NotId.OrIds.Ids[0].RemoteIp.PrefixLen));
        Assert.Equal(1024u, config[ApiPolicyFilters.Buffer].Unpack<BufferPerRoute>().Buffer.MaxRequestBytes);
        Assert.Equal(1u, config[ApiPolicyFilters.ApiPolicy].Unpack<ApiPolicyRoute>().XffTrustedHops);
    }

    [Theory]
    [InlineData("""{"targetRefs": [{"kind": "Gateway", "name": "gw"}]}""", true, true)]
    [InlineData("""{"targetRefs": [{"kind": "Gateway", "name": "other"}]}""", false, false)]
    [InlineData("""{"targetRefs": [{"kind": "VirtualService", "name": "orders"}]}""", true, true)]
    [InlineData("""{"targetRefs": [{"kind": "HTTPRoute", "name": "orders"}]}""", false, false)]
    [InlineData("""{"targetRefs": [{"kind": "Gateway", "name": "gw"}], "hosts": ["api.example.com"]}""", true, false)]
    [InlineData("""{"targetRefs": [{"kind": "Gateway", "name": "gw"}], "hosts": ["*.example.com"]}""", true, true)]
    public void A_policy_applies_where_its_targets_and_hosts_say(string spec, bool api, bool www)
    {
        var routes = Translate(Policy("p", spec));

        Assert.Equal((api, www), (ConfigOf(routes, "api.example.com").ContainsKey(ApiPolicyFilters.ApiPolicy), ConfigOf(routes, "www.example.com").ContainsKey(ApiPolicyFilters.ApiPolicy)));
    }

    [Fact]
    public void A_policy_in_another_namespace_does_not_reach_the_gateway()
    {
        var routes = Translate(Policy("p", """{"targetRefs": [{"kind": "Gateway", "name": "gw"}]}""", "web"));

        Assert.False(ConfigOf(routes, "api.example.com").ContainsKey(ApiPolicyFilters.ApiPolicy));
    }

    [Fact]
    public void A_route_policy_overrides_a_gateway_policy_filter_by_filter()
    {
        var routes = Translate(
            Policy("route", """{"targetRefs": [{"kind": "VirtualService", "name": "orders"}], "maxRequestBodyBytes": 10}"""),
            Policy("gateway", """{"targetRefs": [{"kind": "Gateway", "name": "gw"}], "maxRequestBodyBytes": 99, "ipDeny": ["10.0.0.1"]}"""));

        var config = ConfigOf(routes, "api.example.com");
        Assert.Equal(10u, config[ApiPolicyFilters.Buffer].Unpack<BufferPerRoute>().Buffer.MaxRequestBytes);
        Assert.Equal("ApiPolicy/istio-system/route", config[ApiPolicyFilters.ApiPolicy].Unpack<ApiPolicyRoute>().Policy);
        Assert.True(config.ContainsKey(ApiPolicyFilters.IpAccess));
    }

    [Fact]
    public void Without_policies_routes_carry_no_api_policy_config()
    {
        var routes = Translate();

        Assert.DoesNotContain(routes.VirtualHosts.SelectMany(v => v.Routes), r => r.TypedPerFilterConfig.Keys.Any(k => k.StartsWith("mesh.dev", StringComparison.Ordinal)));
    }
}
