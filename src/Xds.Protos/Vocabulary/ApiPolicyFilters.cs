namespace Mesh.Xds.Resources;

/// <summary>The <c>typed_per_filter_config</c> names an ApiPolicy travels under on a gateway route: Envoy's own
/// filters where Envoy has one, Mesh's <c>mesh.dev/api_policy</c> for the rest (API keys, consumers, what keys a
/// limit, cluster-wide limits). Translator and gateway read these names only from here.</summary>
public static class ApiPolicyFilters
{
    /// <summary><c>mesh.policy.v1.ApiPolicyRoute</c>.</summary>
    public const string ApiPolicy = "mesh.dev/api_policy";

    /// <summary>Followed by the limit's name: one Envoy <c>LocalRateLimit</c> (its token bucket) per limit, as one
    /// local_ratelimit filter instance per limit would be named in an Envoy filter chain.</summary>
    public const string LocalRateLimitPrefix = "envoy.filters.http.local_ratelimit/";

    /// <summary>Envoy's <c>RBACPerRoute</c>: the IP allow and deny lists as one DENY rule set.</summary>
    public const string IpAccess = "envoy.filters.http.rbac/api_policy";

    /// <summary>Envoy's <c>BufferPerRoute</c>: <c>max_request_bytes</c>, answered with 413 past it.</summary>
    public const string Buffer = "envoy.filters.http.buffer";

    /// <summary>The request header a gateway sends upstream with the consumer an API key named.</summary>
    public const string ConsumerHeader = "x-mesh-consumer";

    /// <summary>The gRPC path prefix of the lease service (<c>mesh.policy.v1.RateLimitLeases</c>), served on the xDS ports.</summary>
    public const string LeaseServicePrefix = "/mesh.policy.v1.RateLimitLeases/";

    /// <summary>A cluster bucket's name: the policy's key and the limit's name.</summary>
    public static string Bucket(string policyKey, string limit) => $"{policyKey}/{limit}";
}
