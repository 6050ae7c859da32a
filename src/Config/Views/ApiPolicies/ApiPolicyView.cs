using System.Text.Json.Nodes;

namespace Mesh.Config.Views.ApiPolicies;

/// <summary>A validated ApiPolicy, read once: what it targets and what the gateway enforces there.</summary>
public sealed record ApiPolicyView
{
    public IReadOnlyList<PolicyTargetRef> TargetRefs { get; init; } = [];

    /// <summary>Narrows the targets to these hosts (virtual host names, <c>*.example.com</c> as Envoy matches
    /// domains); empty: every host of the targets.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    public IReadOnlyList<RateLimitSpec> RateLimits { get; init; } = [];
    public ApiKeysSpec? ApiKeys { get; init; }
    public IReadOnlyList<string> IpAllow { get; init; } = [];
    public IReadOnlyList<string> IpDeny { get; init; } = [];

    /// <summary>How many proxies in front of the gateway append to <c>X-Forwarded-For</c> (Envoy's
    /// <c>xff_num_trusted_hops</c>): the client address is that many entries from the right; 0 is the peer.</summary>
    public int TrustedHops { get; init; }

    public long? MaxRequestBodyBytes { get; init; }

    /// <summary>Reads a spec that passed validation.</summary>
    public static ApiPolicyView From(JsonObject spec) => new()
    {
        TargetRefs = [.. spec.Objects("targetRefs").Select(r => new PolicyTargetRef(r.Str("kind") ?? "", r.Str("name") ?? ""))],
        Hosts = spec.Strings("hosts"),
        RateLimits = [.. spec.Objects("rateLimits").Select(RateLimitSpec.From)],
        ApiKeys = spec.Obj("apiKeys") is { } keys ? ApiKeysSpec.From(keys) : null,
        IpAllow = spec.Strings("ipAllow"),
        IpDeny = spec.Strings("ipDeny"),
        TrustedHops = (int)(spec.Long("trustedHops") ?? 0),
        MaxRequestBodyBytes = spec.Long("maxRequestBodyBytes"),
    };
}

/// <summary>A Gateway, VirtualService or HTTPRoute of the policy's namespace, by name.</summary>
public sealed record PolicyTargetRef(string Kind, string Name);

public enum RateLimitKeyType { None, ClientIp, Header, JwtClaim, Consumer }

/// <summary>One token bucket per value of <see cref="KeyType"/> (one in all for <see cref="RateLimitKeyType.None"/>),
/// with Envoy's local rate limit semantics: it starts full at <see cref="MaxTokens"/>, each request takes a token,
/// and <see cref="TokensPerFill"/> come back every <see cref="FillInterval"/>.</summary>
public sealed record RateLimitSpec(string Name, string? PathPrefix, IReadOnlyList<string> Methods, RateLimitKeyType KeyType, string? KeyName,
    long MaxTokens, long TokensPerFill, TimeSpan FillInterval, bool Cluster, bool FailClosed)
{
    public TokenBucketShape Shape => new(MaxTokens, TokensPerFill, FillInterval);

    internal static RateLimitSpec From(JsonObject limit) => new(
        limit.Str("name") ?? "",
        limit.Obj("match").Str("pathPrefix"),
        limit.Obj("match").Strings("methods"),
        limit.Obj("key").Str("type") is { } type ? Enum.Parse<RateLimitKeyType>(type) : RateLimitKeyType.None,
        limit.Obj("key").Str("name"),
        limit.Long("maxTokens") ?? 1,
        limit.Long("tokensPerFill") ?? 1,
        TimeSpan.FromTicks((limit.Nanos("fillInterval") ?? 1_000_000_000) / 100),
        limit.Str("scope") == "Cluster",
        limit.Str("failureMode") == "Closed");
}

/// <summary>Where clients send their API key (OpenAPI's <c>in</c>: <c>header</c> or <c>query</c>, and <c>name</c>),
/// and who each key's SHA-256 belongs to.</summary>
public sealed record ApiKeysSpec(bool InQuery, string Name, IReadOnlyList<ApiConsumer> Consumers)
{
    internal static ApiKeysSpec From(JsonObject keys) => new(
        keys.Str("in") == "query",
        keys.Str("name") ?? "",
        [.. keys.Objects("consumers").Select(c => new ApiConsumer(c.Str("name") ?? "", c.Strings("keyHashes")))]);
}

public sealed record ApiConsumer(string Name, IReadOnlyList<string> KeyHashes);
