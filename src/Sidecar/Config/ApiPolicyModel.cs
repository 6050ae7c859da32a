using System.Collections.Frozen;
using Mesh.Config.Views.ApiPolicies;
using Mesh.Sidecar.Matching;
using Mesh.Sidecar.Security;

namespace Mesh.Sidecar.Config;

/// <summary>A gateway route's ApiPolicy, compiled from its <c>typed_per_filter_config</c>: checked in Envoy's filter
/// order before the request is forwarded (IP lists, API key, body size, rate limits).</summary>
public sealed record ApiPolicyModel(
    string Policy,
    ClientAddress ClientAddress,
    IpAccess? IpAccess,
    ApiKeyCheck? ApiKeys,
    long? MaxRequestBodyBytes,
    IReadOnlyList<RateLimitModel> RateLimits);

/// <summary>Envoy's RBAC DENY rule set of an ApiPolicy: denied when the client is in a deny range, or outside every
/// allow range when there are some.</summary>
public sealed record IpAccess(IReadOnlyList<IpRange> Deny, IReadOnlyList<IpRange> Allow)
{
    public bool Denies(System.Net.IPAddress? client) =>
        Deny.Any(r => r.Contains(client)) || Allow.Count > 0 && !Allow.Any(r => r.Contains(client));
}

/// <summary>Where the API key is read from, and the consumer of each key's SHA-256 (lower-case hex).</summary>
public sealed record ApiKeyCheck(bool InQuery, string Name, FrozenDictionary<string, string> ConsumersByHash);

public enum RateLimitKey { None, ClientIp, Header, JwtClaim, Consumer }

/// <summary>One limit of a route: what it applies to, what it counts by, and its token bucket's shape.</summary>
/// <param name="Bucket">The bucket's name (<c>POLICY_KEY/LIMIT</c>): buckets are shared by every route the policy
/// applies to, and a Cluster limit's grains are named by it.</param>
public sealed record RateLimitModel(
    string Bucket,
    string? PathPrefix,
    IReadOnlyList<string> Methods,
    RateLimitKey Key,
    string? KeyName,
    TokenBucketShape Shape,
    bool Cluster,
    bool FailClosed)
{
    public bool Applies(Microsoft.AspNetCore.Http.HttpRequest request) =>
        (PathPrefix is null || (request.Path.Value ?? "").StartsWith(PathPrefix, StringComparison.Ordinal))
        && (Methods.Count == 0 || Methods.Contains("*") || Methods.Contains(request.Method));
}
