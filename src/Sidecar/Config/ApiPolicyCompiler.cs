using System.Collections.Frozen;
using Envoy.Extensions.Filters.Http.Buffer.V3;
using Envoy.Extensions.Filters.Http.LocalRatelimit.V3;
using Envoy.Extensions.Filters.Http.Rbac.V3;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Mesh.Config.Views.ApiPolicies;
using Mesh.Sidecar.Matching;
using Mesh.Sidecar.Security;
using Mesh.Xds.Protos.ApiPolicy;
using Mesh.Xds.Resources;
using EnvoyRbac = Envoy.Config.Rbac.V3;

namespace Mesh.Sidecar.Config;

/// <summary>Compiles the ApiPolicy config a gateway route carries (see <see cref="ApiPolicyFilters"/>); null when the
/// route has none.</summary>
internal static class ApiPolicyCompiler
{
    public static ApiPolicyModel? Compile(MapField<string, Any> configs, string where, List<string> errors)
    {
        if (!configs.TryGetValue(ApiPolicyFilters.ApiPolicy, out var any)) return null;
        var at = $"{where}.typed_per_filter_config[{ApiPolicyFilters.ApiPolicy}]";
        if (!any.TryUnpack<ApiPolicyRoute>(out var route)) return errors.Fail<ApiPolicyModel>($"{at}: not an ApiPolicyRoute ({any.TypeUrl})");
        var before = errors.Count;
        var limits = route.RateLimits.Select((rule, i) => Limit(route.Policy, rule, configs, $"{at}.rate_limits[{i}]", errors)).OfType<RateLimitModel>().ToList();
        var ipAccess = IpAccessOf(configs, where, errors);
        long? maxBody = configs.TryGetValue(ApiPolicyFilters.Buffer, out var buffer)
            ? buffer.TryUnpack<BufferPerRoute>(out var perRoute) ? perRoute.Buffer?.MaxRequestBytes
                : Refuse(errors, $"{where}.typed_per_filter_config[{ApiPolicyFilters.Buffer}]: not a BufferPerRoute ({buffer.TypeUrl})")
            : null;
        var keys = route.ApiKeys is { } k
            ? new ApiKeyCheck(k.In == ApiKeys.Types.Location.Query, k.Name,
                k.Consumers.SelectMany(c => c.KeySha256.Select(hash => (hash, c.Name))).DistinctBy(p => p.hash).ToFrozenDictionary(p => p.hash, p => p.Name, StringComparer.Ordinal))
            : null;
        if (keys is { Name.Length: 0 }) errors.Add($"{at}.api_keys.name: required");
        return errors.Count > before ? null
            : new ApiPolicyModel(route.Policy, new ClientAddress(true, (int)Math.Min(route.XffTrustedHops, 64)), ipAccess, keys, maxBody, limits);
    }

    private static RateLimitModel? Limit(string policy, RateLimitRule rule, MapField<string, Any> configs, string where, List<string> errors)
    {
        var filter = ApiPolicyFilters.LocalRateLimitPrefix + rule.Name;
        if (!configs.TryGetValue(filter, out var any) || !any.TryUnpack<LocalRateLimit>(out var local) || local.TokenBucket is not { } bucket)
        {
            return errors.Fail<RateLimitModel>($"{where}: no LocalRateLimit with a token_bucket under {filter}");
        }
        var interval = bucket.FillInterval?.ToTimeSpan() ?? TimeSpan.Zero;
        if (interval < TimeSpan.FromMilliseconds(50)) return errors.Fail<RateLimitModel>($"{filter}.token_bucket.fill_interval: must be at least 50ms");
        if (bucket.MaxTokens == 0) return errors.Fail<RateLimitModel>($"{filter}.token_bucket.max_tokens: must be at least 1");
        if (rule.KeyType is RateLimitRule.Types.KeyType.Header or RateLimitRule.Types.KeyType.JwtClaim && rule.KeyName.Length == 0)
        {
            return errors.Fail<RateLimitModel>($"{where}.key_name: required for a {rule.KeyType} key");
        }
        return new RateLimitModel(
            ApiPolicyFilters.Bucket(policy, rule.Name),
            rule.PathPrefix.Length > 0 ? rule.PathPrefix : null,
            [.. rule.Methods],
            (RateLimitKey)rule.KeyType,
            rule.KeyName.Length > 0 ? rule.KeyName : null,
            new TokenBucketShape(bucket.MaxTokens, bucket.TokensPerFill ?? 1, interval),
            rule.Scope == RateLimitRule.Types.Scope.Cluster,
            rule.FailureMode == RateLimitRule.Types.FailureMode.Closed);
    }

    /// <summary>The DENY rule set the translator writes: policies of <c>remote_ip</c> ranges (any of them, or, under
    /// <c>not_id</c>, none of them).</summary>
    private static IpAccess? IpAccessOf(MapField<string, Any> configs, string where, List<string> errors)
    {
        if (!configs.TryGetValue(ApiPolicyFilters.IpAccess, out var any)) return null;
        var at = $"{where}.typed_per_filter_config[{ApiPolicyFilters.IpAccess}]";
        if (!any.TryUnpack<RBACPerRoute>(out var perRoute) || perRoute.Rbac?.Rules is not { Action: EnvoyRbac.RBAC.Types.Action.Deny } rules)
        {
            return errors.Fail<IpAccess>($"{at}: not an RBACPerRoute with DENY rules");
        }
        var (deny, allow) = (new List<IpRange>(), new List<IpRange>());
        foreach (var (name, policy) in rules.Policies)
        {
            foreach (var principal in policy.Principals)
            {
                var negated = principal.IdentifierCase == EnvoyRbac.Principal.IdentifierOneofCase.NotId;
                var set = negated ? principal.NotId.OrIds : principal.OrIds;
                if (set is null) return errors.Fail<IpAccess>($"{at}.rules.policies[{name}]: only sets of remote_ip ranges are supported");
                foreach (var id in set.Ids)
                {
                    if (errors.Matcher(() => IpRange.Compile(id.RemoteIp, $"{at}.rules.policies[{name}].remote_ip")) is { } range) (negated ? allow : deny).Add(range);
                }
            }
        }
        return new IpAccess(deny, allow);
    }

    private static long? Refuse(List<string> errors, string error)
    {
        errors.Add(error);
        return null;
    }
}
