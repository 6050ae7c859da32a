using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Security.Jwt;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Proxy.RateLimits;

/// <summary>A claim of the token the gateway's JWT authentication verified for this request (RequestAuthentication
/// on the gateway workload), as a JwtClaim rate-limit key counts by it (the value Envoy's <c>claim_to_headers</c>
/// would give). A token that was not verified (no RequestAuthentication for it, or none sent) has no claims here: a
/// forged token cannot open a bucket of its own.</summary>
internal static class VerifiedClaims
{
    private const string Item = "mesh.verified_claims";

    /// <summary>Notes the payload of the token JWT authentication verified (called by the JWT filter, before routing).</summary>
    public static void Note(HttpContext context, Struct? payload)
    {
        if (payload is not null) context.Items[Item] = payload;
    }

    public static string? Claim(HttpContext context, string claim) =>
        context.Items.TryGetValue(Item, out var payload) && payload is Struct claims ? ClaimValues.HeaderValue(claims, claim) : null;
}
