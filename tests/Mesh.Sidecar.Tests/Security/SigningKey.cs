using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>A key pair made for one test: mints JWS tokens (RS256 or ES256) and publishes its public half as a
/// JWK.</summary>
internal sealed class SigningKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ec;

    private SigningKey(string kid, RSA? rsa, ECDsa? ec)
    {
        Kid = kid;
        _rsa = rsa;
        _ec = ec;
    }

    public string Kid { get; }

    public string Algorithm => _rsa is not null ? "RS256" : "ES256";

    public static SigningKey Rsa(string kid = "rsa-1") => new(kid, RSA.Create(2048), null);

    public static SigningKey Ec(string kid = "ec-1") => new(kid, null, ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>A JWKS document with the public keys.</summary>
    public static string Jwks(params SigningKey[] keys)
        => new JsonObject { ["keys"] = new JsonArray(keys.Select(key => (JsonNode)key.PublicJwk()).ToArray()) }.ToJsonString();

    public JsonObject PublicJwk()
    {
        if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(false);
            return new JsonObject { ["kty"] = "RSA", ["kid"] = Kid, ["alg"] = "RS256", ["use"] = "sig", ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!) };
        }
        var q = _ec!.ExportParameters(false);
        return new JsonObject { ["kty"] = "EC", ["kid"] = Kid, ["crv"] = "P-256", ["x"] = B64(q.Q.X!), ["y"] = B64(q.Q.Y!) };
    }

    /// <summary>A signed token with these claims (any JSON-serializable values).</summary>
    public string Sign(IReadOnlyDictionary<string, object?> claims, string? kid = null, string? alg = null)
        => SignRaw(JsonSerializer.Serialize(new Dictionary<string, object?> { ["alg"] = alg ?? Algorithm, ["kid"] = kid ?? Kid, ["typ"] = "JWT" }), JsonSerializer.Serialize(claims));

    /// <summary>A token with exactly this header and payload JSON, signed with this key.</summary>
    public string SignRaw(string headerJson, string payloadJson)
    {
        var signingInput = $"{B64(Encoding.UTF8.GetBytes(headerJson))}.{B64(Encoding.UTF8.GetBytes(payloadJson))}";
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = _rsa is not null
            ? _rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : _ec!.SignData(data, HashAlgorithmName.SHA256);
        return $"{signingInput}.{B64(signature)}";
    }

    public static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    public void Dispose()
    {
        _rsa?.Dispose();
        _ec?.Dispose();
    }
}
