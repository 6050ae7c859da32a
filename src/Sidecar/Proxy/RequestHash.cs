using Mesh.Sidecar.Config;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Proxy;

/// <summary>The key a ring-hash cluster places a request by, from the route's hash policies: a header, a cookie (made
/// and set when absent and a TTL is given, as Envoy does), the source IP, or a query parameter. Policies combine in
/// order; a terminal one that yields a value ends the list.</summary>
public static class RequestHash
{
    public static ulong? Of(IReadOnlyList<HashPolicy> policies, HttpContext context)
    {
        if (policies.Count == 0) return null;
        ulong? hash = null;
        foreach (var policy in policies)
        {
            var value = policy.Source switch
            {
                HashSource.Header => context.Request.Headers.TryGetValue(policy.Name, out var header) ? header.ToString() : null,
                HashSource.Cookie => Cookie(context, policy),
                HashSource.SourceIp => context.Connection.RemoteIpAddress?.ToString(),
                HashSource.QueryParameter => context.Request.Query.TryGetValue(policy.Name, out var query) ? query.ToString() : null,
                _ => null,
            };
            if (value is null) continue;
            var next = HashRing.Hash(value);
            hash = hash is { } previous ? ((previous << 1) | (previous >> 63)) ^ next : next;
            if (policy.Terminal) break;
        }
        return hash;
    }

    private static string? Cookie(HttpContext context, HashPolicy policy)
    {
        if (context.Request.Cookies.TryGetValue(policy.Name, out var value)) return value;
        if (policy.CookieTtl is not { } ttl) return null;
        var made = Guid.NewGuid().ToString("N");
        context.Response.Cookies.Append(policy.Name, made, new CookieOptions
        {
            Path = policy.CookiePath ?? "/",
            MaxAge = ttl > TimeSpan.Zero ? ttl : null,
            HttpOnly = true,
        });
        return made;
    }
}
