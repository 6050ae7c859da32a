using Envoy.Extensions.Filters.Http.Buffer.V3;
using Envoy.Extensions.Filters.Http.LocalRatelimit.V3;
using Envoy.Extensions.Filters.Http.Rbac.V3;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Config;
using Mesh.Xds.Protos.ApiPolicy;
using Mesh.Xds.Resources;
using EnvoyRbac = Envoy.Config.Rbac.V3;

namespace Mesh.Sidecar.Tests.Config;

public sealed class ApiPolicyCompilerTests
{
    /// <summary>A route's ApiPolicy config as the translator writes it: a limit keyed by header, API keys, IP lists,
    /// a body limit.</summary>
    public static MapField<string, Any> Configs(uint trustedHops = 0, RateLimitRule? rule = null, uint maxTokens = 2)
    {
        var route = new ApiPolicyRoute { Policy = "ApiPolicy/edge/p", XffTrustedHops = trustedHops };
        route.ApiKeys = new ApiKeys { In = ApiKeys.Types.Location.Header, Name = "x-api-key" };
        // SHA-256 of "test".
        route.ApiKeys.Consumers.Add(new Consumer { Name = "acme", KeySha256 = { "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" } });
        route.RateLimits.Add(rule ?? new RateLimitRule { Name = "per-user", KeyType = RateLimitRule.Types.KeyType.Header, KeyName = "x-user", PathPrefix = "/api", Methods = { "GET" } });
        var rules = new EnvoyRbac.RBAC { Action = EnvoyRbac.RBAC.Types.Action.Deny };
        rules.Policies["ip-deny"] = new EnvoyRbac.Policy { Principals = { Set(new EnvoyRbac.Principal { OrIds = Ids("10.1.0.0", 16) }) } };
        rules.Policies["ip-allow"] = new EnvoyRbac.Policy { Principals = { new EnvoyRbac.Principal { NotId = new EnvoyRbac.Principal { OrIds = Ids("10.0.0.0", 8) } } } };
        return new MapField<string, Any>
        {
            [ApiPolicyFilters.ApiPolicy] = Any.Pack(route),
            [ApiPolicyFilters.LocalRateLimitPrefix + route.RateLimits[0].Name] = Any.Pack(new LocalRateLimit
            {
                StatPrefix = "p",
                TokenBucket = new Envoy.Type.V3.TokenBucket { MaxTokens = maxTokens, TokensPerFill = 1, FillInterval = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) },
            }),
            [ApiPolicyFilters.IpAccess] = Any.Pack(new RBACPerRoute { Rbac = new RBAC { Rules = rules } }),
            [ApiPolicyFilters.Buffer] = Any.Pack(new BufferPerRoute { Buffer = new Envoy.Extensions.Filters.Http.Buffer.V3.Buffer { MaxRequestBytes = 16 } }),
        };
    }

    private static EnvoyRbac.Principal Set(EnvoyRbac.Principal principal) => principal;

    private static EnvoyRbac.Principal.Types.Set Ids(string address, uint length) =>
        new() { Ids = { new EnvoyRbac.Principal { RemoteIp = new Envoy.Config.Core.V3.CidrRange { AddressPrefix = address, PrefixLen = length } } } };

    [Fact]
    public void Compiles_keys_limits_IP_lists_and_the_body_limit()
    {
        var errors = new List<string>();

        var policy = ApiPolicyCompiler.Compile(Configs(trustedHops: 1), "route", errors)!;

        Assert.Empty(errors);
        Assert.Equal(("ApiPolicy/edge/p", 1), (policy.Policy, policy.ClientAddress.TrustedHops));
        Assert.Equal("acme", policy.ApiKeys!.ConsumersByHash["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"]);
        var limit = Assert.Single(policy.RateLimits);
        Assert.Equal(("ApiPolicy/edge/p/per-user", RateLimitKey.Header, "x-user", "/api", 2L), (limit.Bucket, limit.Key, limit.KeyName, limit.PathPrefix, limit.Shape.MaxTokens));
        Assert.True(policy.IpAccess!.Denies(System.Net.IPAddress.Parse("10.1.2.3")));
        Assert.True(policy.IpAccess.Denies(System.Net.IPAddress.Parse("192.168.0.1")));
        Assert.False(policy.IpAccess.Denies(System.Net.IPAddress.Parse("10.2.0.1")));
        Assert.Equal(16, policy.MaxRequestBodyBytes);
    }

    [Fact]
    public void A_route_without_the_policy_has_none() => Assert.Null(ApiPolicyCompiler.Compile([], "route", []));

    [Fact]
    public void A_limit_without_its_bucket_is_refused_with_where()
    {
        var configs = Configs();
        configs.Remove(ApiPolicyFilters.LocalRateLimitPrefix + "per-user");
        var errors = new List<string>();

        Assert.Null(ApiPolicyCompiler.Compile(configs, "routes[0]", errors));
        Assert.Contains(errors, e => e.StartsWith("routes[0].typed_per_filter_config[mesh.dev/api_policy].rate_limits[0]: no LocalRateLimit", StringComparison.Ordinal));
    }

    [Fact]
    public void A_header_key_without_a_name_is_refused()
    {
        var errors = new List<string>();

        Assert.Null(ApiPolicyCompiler.Compile(Configs(rule: new RateLimitRule { Name = "per-user", KeyType = RateLimitRule.Types.KeyType.Header }), "r", errors));
        Assert.Contains(errors, e => e.Contains("key_name: required", StringComparison.Ordinal));
    }
}
