using System.Text.Json.Nodes;

namespace Mesh.Config.Views.DestinationRules;

/// <summary>Istio's <c>LoadBalancerSettings</c>: a simple policy or a consistent hash (null <see cref="Simple"/> is
/// Istio's default, LEAST_REQUEST).</summary>
public sealed record LoadBalancerSettings(string? Simple, ConsistentHash? ConsistentHash)
{
    internal static LoadBalancerSettings? From(JsonObject? settings) => settings is null ? null
        : new(settings.Str("simple"), settings.Obj("consistentHash") is { } hash ? ConsistentHash.From(hash) : null);
}

/// <summary>Istio's <c>ConsistentHashLB</c>: what to hash (one of header, cookie, source IP, query parameter), and the
/// ring size (<c>ringHash.minimumRingSize</c>, or the deprecated top-level <c>minimumRingSize</c>).</summary>
public sealed record ConsistentHash(string? HttpHeaderName, HttpCookie? HttpCookie, bool UseSourceIp, string? HttpQueryParameterName, long? MinimumRingSize)
{
    internal static ConsistentHash From(JsonObject hash) => new(
        hash.Str("httpHeaderName"),
        hash.Obj("httpCookie") is { } cookie ? new HttpCookie(cookie.Str("name") ?? "", cookie.Str("path"), cookie.Nanos("ttl")) : null,
        hash.Bool("useSourceIp") ?? false,
        hash.Str("httpQueryParameterName"),
        hash.Obj("ringHash").Long("minimumRingSize") ?? hash.Long("minimumRingSize"));
}

/// <summary>The cookie a consistent hash reads, and writes when it is missing (with its path and time to live).</summary>
public sealed record HttpCookie(string Name, string? Path, long? TtlNanos);
