using System.Text;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Mesh.Sidecar.Security;
using static Mesh.Sidecar.Tests.Security.JwtConfigs;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>Tokens that are not well-formed JWTs: refused with Envoy's parse status, never an exception.</summary>
public sealed class JwtTokenFormatTests
{
    // Shared by the tests of this class (which run one at a time): an RSA key takes long to make on a small machine.
    private static readonly SigningKey Key = SigningKey.Rsa();

    [Theory]
    [InlineData("a.b.c", "Jwt header is an invalid Base64url encoded")]
    [InlineData("abc", "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections")]
    [InlineData("a.b.c.d.e", "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections")]
    [InlineData("..", "Jwt header is an invalid JSON")]
    [InlineData("e30.e30.", "Jwt header [alg] field is required and must be a string")]
    [InlineData("eyJhbGciOiJub25lIn0.e30.", "Jwt header [alg] is not supported")]
    [InlineData("eyJhbGciOjF9.e30.", "Jwt header [alg] field is required and must be a string")]
    [InlineData("eyJhbGciOiJSUzI1NiIsImtpZCI6MX0.e30.", "Jwt header [kid] field is not a string")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.", "Jwt payload is an invalid JSON")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.W10.", "Jwt payload is an invalid JSON")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.!!!", "Jwt signature is an invalid Base64url encoded")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.", "Jwt issuer is not configured")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "Jwt issuer is not configured")]
    [InlineData("_w.e30.", "Jwt header is an invalid JSON")]
    [InlineData("e30 .e30.", "Jwt header is an invalid Base64url encoded")]
    [InlineData("/w.e30.", "Jwt header is an invalid Base64url encoded")]
    public async Task A_malformed_token_is_refused_with_its_parse_status(string token, string message)
    {
        var result = await Authenticate(token);

        Assert.False(result.Allowed);
        Assert.Equal(401, result.StatusCode);
        Assert.Equal(message, result.Message);
    }

    [Theory]
    [InlineData("iss", "1", "Jwt payload [iss] field is not a string")]
    [InlineData("sub", "[\"a\"]", "Jwt payload [sub] field is not a string")]
    [InlineData("iat", "\"yesterday\"", "Jwt payload [iat] field is not an integer")]
    [InlineData("nbf", "-1", "Jwt payload [nbf] field is not a positive 64 bit integer")]
    [InlineData("exp", "\"soon\"", "Jwt payload [exp] field is not an integer")]
    [InlineData("exp", "1e30", "Jwt payload [exp] field is not a positive 64 bit integer")]
    [InlineData("jti", "7", "Jwt payload [jti] field is not a string")]
    [InlineData("aud", "[\"shop\", 2]", "Jwt payload [aud] field is not a string or string list")]
    [InlineData("aud", "{}", "Jwt payload [aud] field is not a string or string list")]
    public async Task A_registered_claim_of_the_wrong_type_is_refused(string claim, string json, string message)
    {
        var claims = new Dictionary<string, string>
        {
            ["iss"] = $"\"{Issuer}\"",
            ["sub"] = "\"alice\"",
            ["aud"] = "\"shop\"",
            ["exp"] = Now.AddHours(1).ToUnixTimeSeconds().ToString(),
        };
        claims[claim] = json;
        var token = Key.SignRaw("""{"alg": "RS256", "kid": "rsa-1"}""", "{" + string.Join(", ", claims.Select(c => $"\"{c.Key}\": {c.Value}")) + "}");

        var result = await Authenticate(token);

        Assert.Equal(message, result.Message);
    }

    [Fact]
    public async Task Random_bytes_are_refused_without_an_exception()
    {
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            var text = Encoding.Latin1.GetString(bytes);

            var result = await Authenticate(text.Replace('\r', ' ').Replace('\n', ' '));

            Assert.False(result.Allowed, text);
        }
    }

    [Fact]
    public async Task A_huge_token_is_refused_without_an_exception()
    {
        var huge = new string('A', 2_000_000) + "." + new string('B', 2_000_000) + "." + new string('C', 1000);
        var deep = SigningKey.B64(Encoding.UTF8.GetBytes(new string('[', 100_000))) + ".e30.";

        Assert.Equal("Jwt header is an invalid JSON", (await Authenticate(huge)).Message);
        Assert.Equal("Jwt header is an invalid JSON", (await Authenticate(deep)).Message);
    }

    [Fact]
    public async Task A_huge_signed_token_is_still_verified()
    {
        var token = Key.Sign(Claims(("blob", new string('x', 300_000))));

        Assert.True((await Authenticate(token)).Allowed);
    }

    /// <summary>Authenticates a token sent as the whole value of x-jwt (no prefix), so that any text reaches the parser.</summary>
    private async Task<JwtResult> Authenticate(string token)
    {
        var provider = Provider(SigningKey.Jwks(Key));
        provider.FromHeaders.Add(new JwtHeader { Name = "x-jwt" });
        var authenticator = JwtAuthenticator.Compile(Istio(provider), new JwtAuthenticatorOptions { Time = new ManualTime(Now) });
        var request = Request();
        request.Headers["x-jwt"] = token;
        return await authenticator.Authenticate(request);
    }
}
