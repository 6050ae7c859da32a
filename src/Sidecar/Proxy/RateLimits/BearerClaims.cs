using Mesh.Sidecar.Security.Jwt;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Proxy.RateLimits;

/// <summary>A claim of the request's bearer token, as a JwtClaim rate-limit key counts by it (the value Envoy's
/// <c>claim_to_headers</c> would give). The token is not verified here: a limit keyed by a claim counts verified
/// tokens only where a RequestAuthentication on the gateway requires them.</summary>
internal static class BearerClaims
{
    public static string? Claim(HttpRequest request, string claim)
    {
        var authorization = request.Headers.Authorization;
        if (authorization.Count != 1 || authorization[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        return ParsedJwt.TryParse(value[7..].Trim(), out var jwt) == JwtStatus.Ok && jwt is not null ? ClaimValues.HeaderValue(jwt.Payload, claim) : null;
    }
}
