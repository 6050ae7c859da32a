using Envoy.Config.Core.V3;
using Envoy.Extensions.Common.Ratelimit.V3;
using Envoy.Extensions.Filters.Http.Buffer.V3;
using Envoy.Extensions.Filters.Http.LocalRatelimit.V3;
using Envoy.Extensions.Filters.Http.Rbac.V3;
using Envoy.Type.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Config.Views.ApiPolicies;
using Mesh.Xds.Protos.ApiPolicy;
using Mesh.Xds.Resources;
using Mesh.Xds.Translation.Security;
using EnvoyRbac = Envoy.Config.Rbac.V3;
using Route = Envoy.Config.Route.V3.Route;

namespace Mesh.Xds.Translation.ApiPolicies;

/// <summary>An ApiPolicy as a gateway route's <c>typed_per_filter_config</c> (names in <see cref="ApiPolicyFilters"/>):
/// each limit's token bucket as Envoy's <c>LocalRateLimit</c> (429 with the <c>x-ratelimit-*</c> headers of draft 03,
/// <c>RESOURCE_EXHAUSTED</c> for gRPC), the IP lists as Envoy's <c>RBACPerRoute</c>, the body limit as Envoy's
/// <c>BufferPerRoute</c>, and what Envoy has no filter for in Mesh's <c>ApiPolicyRoute</c>.</summary>
internal static class ApiPolicyTranslator
{
    /// <summary>Sets the policies' config on the routes, least specific first so that a more specific policy's config
    /// replaces it filter by filter (as Envoy's route config replaces the virtual host's).</summary>
    public static void Apply(IEnumerable<Route> routes, IReadOnlyList<ApiPolicyInput> policies)
    {
        if (policies.Count == 0) return;
        var configs = policies.Select(Translate).ToList();
        foreach (var route in routes)
        {
            foreach (var config in configs)
            {
                foreach (var (name, any) in config) route.TypedPerFilterConfig[name] = any;
            }
        }
    }

    public static IReadOnlyList<(string Filter, Any Config)> Translate(ApiPolicyInput policy)
    {
        var view = policy.View;
        var configs = new List<(string, Any)> { (ApiPolicyFilters.ApiPolicy, Any.Pack(MeshConfig(policy))) };
        configs.AddRange(view.RateLimits.Select(limit => (ApiPolicyFilters.LocalRateLimitPrefix + limit.Name, Any.Pack(Bucket(policy, limit)))));
        if (IpAccess(view) is { } rbac) configs.Add((ApiPolicyFilters.IpAccess, Any.Pack(rbac)));
        if (view.MaxRequestBodyBytes is { } max)
        {
            configs.Add((ApiPolicyFilters.Buffer, Any.Pack(new BufferPerRoute { Buffer = new Envoy.Extensions.Filters.Http.Buffer.V3.Buffer { MaxRequestBytes = (uint)max } })));
        }
        return configs;
    }

    private static ApiPolicyRoute MeshConfig(ApiPolicyInput policy)
    {
        var view = policy.View;
        var route = new ApiPolicyRoute { Policy = policy.Key, XffTrustedHops = (uint)view.TrustedHops };
        if (view.ApiKeys is { } keys)
        {
            route.ApiKeys = new ApiKeys { In = keys.InQuery ? ApiKeys.Types.Location.Query : ApiKeys.Types.Location.Header, Name = keys.Name };
            route.ApiKeys.Consumers.Add(keys.Consumers.Select(c => new Consumer { Name = c.Name, KeySha256 = { c.KeyHashes } }));
        }
        route.RateLimits.Add(view.RateLimits.Select(limit => new RateLimitRule
        {
            Name = limit.Name,
            PathPrefix = limit.PathPrefix ?? "",
            Methods = { limit.Methods },
            KeyType = (RateLimitRule.Types.KeyType)limit.KeyType,
            KeyName = limit.KeyName ?? "",
            Scope = limit.Cluster ? RateLimitRule.Types.Scope.Cluster : RateLimitRule.Types.Scope.Local,
            FailureMode = limit.FailClosed ? RateLimitRule.Types.FailureMode.Closed : RateLimitRule.Types.FailureMode.Open,
        }));
        return route;
    }

    private static LocalRateLimit Bucket(ApiPolicyInput policy, RateLimitSpec limit) => new()
    {
        StatPrefix = $"api_policy.{policy.Namespace}.{policy.Name}.{limit.Name}",
        Status = new HttpStatus { Code = StatusCode.TooManyRequests },
        TokenBucket = new Envoy.Type.V3.TokenBucket
        {
            MaxTokens = (uint)limit.MaxTokens,
            TokensPerFill = (uint)limit.TokensPerFill,
            FillInterval = Duration.FromTimeSpan(limit.FillInterval),
        },
        FilterEnabled = Always($"api_policy.{limit.Name}.enabled"),
        FilterEnforced = Always($"api_policy.{limit.Name}.enforced"),
        EnableXRatelimitHeaders = XRateLimitHeadersRFCVersion.DraftVersion03,
        RateLimitedAsResourceExhausted = true,
    };

    private static RuntimeFractionalPercent Always(string runtimeKey) => new()
    {
        RuntimeKey = runtimeKey,
        DefaultValue = new FractionalPercent { Numerator = 100, Denominator = FractionalPercent.Types.DenominatorType.Hundred },
    };

    /// <summary>One DENY rule set: a client in <c>ipDeny</c>, or (with <c>ipAllow</c>) one outside it. <c>remote_ip</c>
    /// is the client address after <c>trustedHops</c> of <c>X-Forwarded-For</c>, as Envoy derives it.</summary>
    private static RBACPerRoute? IpAccess(ApiPolicyView view)
    {
        if (view.IpAllow.Count == 0 && view.IpDeny.Count == 0) return null;
        var rules = new EnvoyRbac.RBAC { Action = EnvoyRbac.RBAC.Types.Action.Deny };
        if (view.IpDeny.Count > 0) rules.Policies["ip-deny"] = Policy(AnyOf(view.IpDeny));
        if (view.IpAllow.Count > 0) rules.Policies["ip-allow"] = Policy(new EnvoyRbac.Principal { NotId = AnyOf(view.IpAllow) });
        return new RBACPerRoute { Rbac = new RBAC { Rules = rules } };
    }

    private static EnvoyRbac.Policy Policy(EnvoyRbac.Principal principal) => new()
    {
        Permissions = { new EnvoyRbac.Permission { Any = true } },
        Principals = { principal },
    };

    private static EnvoyRbac.Principal AnyOf(IReadOnlyList<string> blocks)
    {
        var set = new EnvoyRbac.Principal.Types.Set();
        // The blocks were validated; a block that does not parse cannot reach here.
        set.Ids.Add(blocks.Select(CidrRanges.Parse).OfType<CidrRange>().Select(range => new EnvoyRbac.Principal { RemoteIp = range }));
        return new EnvoyRbac.Principal { OrIds = set };
    }
}
