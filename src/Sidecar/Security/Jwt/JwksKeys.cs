using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Mesh.Sidecar.Security.Jwt;

/// <summary>The usable public keys of a JWKS, and signature verification with them through
/// Microsoft.IdentityModel. Keys are picked as Envoy does: a key whose kid differs from the token's (both set) or
/// whose alg differs from the token's (key alg set) is skipped; no key left is "kid or alg mismatch", keys left
/// that all fail are "verification fails". Immutable.</summary>
internal sealed class JwksKeys
{
    private static readonly JsonWebTokenHandler Handler = new() { MaximumTokenSizeInBytes = 4 * 1024 * 1024 };

    private readonly JsonWebKey[] _keys;

    private JwksKeys(JsonWebKey[] keys) => _keys = keys;

    public int Count => _keys.Length;

    /// <summary>The keys of a JWKS document, or null when it is not one or has no key mesh-sidecar can use (RSA, EC
    /// on P-256/384/521, or oct; Ed25519 "OKP" keys are not supported).</summary>
    public static JwksKeys? Parse(string json)
    {
        JsonWebKeySet set;
        try
        {
            set = new JsonWebKeySet(json);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Remote documents are untrusted input: whatever the library throws on, there is no key set.
            return null;
        }
        var keys = set.Keys.Where(Usable).ToArray();
        return keys.Length == 0 ? null : new JwksKeys(keys);
    }

    public async ValueTask<JwtStatus> Verify(ParsedJwt jwt)
    {
        var candidates = _keys.Where(key => Matches(key, jwt)).ToArray();
        if (candidates.Length == 0) return JwtStatus.JwksKidAlgMismatch;
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = candidates,
            TryAllIssuerSigningKeys = true,
            RequireSignedTokens = true,
            // Issuer, audience and lifetime were already checked, Envoy's way and with Envoy's messages.
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidateIssuerSigningKey = false,
        };
        try
        {
            var result = await Handler.ValidateTokenAsync(jwt.Token, parameters).ConfigureAwait(false);
            return result.IsValid ? JwtStatus.Ok : JwtStatus.JwtVerificationFail;
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or System.Security.Cryptography.CryptographicException or SecurityTokenException)
        {
            // The library reports bad tokens in its result; a key it cannot use still fails the token, never the request.
            return JwtStatus.JwtVerificationFail;
        }
    }

    private static bool Matches(JsonWebKey key, ParsedJwt jwt)
    {
        if (jwt.KeyId.Length > 0 && !string.IsNullOrEmpty(key.Kid) && key.Kid != jwt.KeyId) return false;
        return string.IsNullOrEmpty(key.Alg) || key.Alg == jwt.Algorithm;
    }

    private static bool Usable(JsonWebKey key) => key.Kty switch
    {
        JsonWebAlgorithmsKeyTypes.RSA => Present(key.N) && Present(key.E) && AlgorithmStartsWith(key, "RS", "PS"),
        JsonWebAlgorithmsKeyTypes.EllipticCurve => Present(key.X) && Present(key.Y) && key.Crv is "P-256" or "P-384" or "P-521" && AlgorithmStartsWith(key, "ES"),
        JsonWebAlgorithmsKeyTypes.Octet => Present(key.K) && AlgorithmStartsWith(key, "HS"),
        _ => false,
    };

    private static bool AlgorithmStartsWith(JsonWebKey key, params string[] prefixes)
        => string.IsNullOrEmpty(key.Alg) || prefixes.Any(prefix => key.Alg.StartsWith(prefix, StringComparison.Ordinal));

    private static bool Present(string? value) => !string.IsNullOrEmpty(value);
}
