using Mesh.Grains.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Mesh.Xds.Security;

/// <summary>Checks a Mesh bootstrap token: ES256 by one of the CA's token keys, issuer <c>mesh</c>, audience
/// <c>mesh-ca</c>, not expired (5 s of clock skew), subject <c>system:serviceaccount:NS:SA</c>. Says why not, in words
/// a user can act on.</summary>
public static class BootstrapTokenValidator
{
    /// <summary>Longer tokens are refused unread.</summary>
    public const int MaxLength = 8 * 1024;
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);
    private static readonly JsonWebTokenHandler Tokens = new() { MaximumTokenSizeInBytes = MaxLength };

    public sealed record Result(string? Namespace, string? ServiceAccount, string? Problem)
    {
        public bool IsValid => Problem is null;
    }

    /// <summary>The issuer the token claims, unverified (to tell Mesh's tokens from others); null when it is no JWT.</summary>
    public static string? ClaimedIssuer(string token)
    {
        try
        {
            return token.Length <= MaxLength && Tokens.CanReadToken(token) ? Tokens.ReadJsonWebToken(token).Issuer : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public static async Task<Result> Validate(string token, IEnumerable<SecurityKey> keys)
    {
        if (token.Length > MaxLength) return new Result(null, null, $"the bearer token is longer than {MaxLength} bytes");
        var result = await Tokens.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = BootstrapToken.Issuer,
            ValidAudience = BootstrapToken.Audience,
            IssuerSigningKeys = keys,
            ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = ClockSkew,
        });
        if (!result.IsValid) return new Result(null, null, Reason(result.Exception));
        var subject = result.Claims.TryGetValue("sub", out var sub) ? sub as string : null;
        return BootstrapToken.TryParseSubject(subject, out var @namespace, out var account)
            ? new Result(@namespace, account, null)
            : new Result(null, null, "the bootstrap token's subject is not system:serviceaccount:NAMESPACE:SERVICE-ACCOUNT");
    }

    private static string Reason(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => "the bootstrap token has expired: create a new one with meshctl token create",
        SecurityTokenNotYetValidException => "the bootstrap token is not valid yet",
        SecurityTokenInvalidAudienceException => $"the bootstrap token's audience is not {BootstrapToken.Audience}",
        SecurityTokenInvalidIssuerException => $"the bootstrap token's issuer is not {BootstrapToken.Issuer}",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "the bootstrap token's signature does not verify with this mesh's keys",
        SecurityTokenInvalidAlgorithmException => "the bootstrap token is not signed with ES256",
        SecurityTokenNoExpirationException => "the bootstrap token has no expiry",
        SecurityTokenMalformedException => "the bearer token is not a well-formed JWT",
        _ => "the bootstrap token is not valid",
    };
}
