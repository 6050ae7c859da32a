using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Mesh.Integration.Tests.Infrastructure;

/// <summary>An identity provider of the tests' own: an RSA key, its JWKS (for a RequestAuthentication's inline
/// <c>jwks</c>), and RS256 tokens it signs for audience <see cref="Audience"/>.</summary>
public static class JwtIssuer
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "web";
    private static readonly RsaSecurityKey Signing = new(RSA.Create(2048)) { KeyId = "test-1" };

    /// <summary>A key with the same id as the issuer's: what a forger would sign with.</summary>
    public static RsaSecurityKey Forger { get; } = new(RSA.Create(2048)) { KeyId = "test-1" };

    /// <summary>The public key set, quoted for a single-quoted YAML scalar.</summary>
    public static string Jwks() => JsonSerializer.Serialize(new { keys = new[] { JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(Signing.Rsa.ExportParameters(false)) { KeyId = Signing.KeyId }) } },
        new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull })
        .Replace("'", "''");

    public static string Jwt(string subject, string issuer = Issuer, TimeSpan? lifetime = null, SecurityKey? key = null, string[]? groups = null)
    {
        var expires = DateTime.UtcNow + (lifetime ?? TimeSpan.FromMinutes(10));
        var claims = new Dictionary<string, object> { ["sub"] = subject };
        if (groups is not null) claims["groups"] = groups;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = Audience,
            Claims = claims,
            IssuedAt = expires.AddMinutes(-30),
            NotBefore = expires.AddMinutes(-30),
            Expires = expires,
            SigningCredentials = new SigningCredentials(key ?? Signing, SecurityAlgorithms.RsaSha256),
        });
    }
}
