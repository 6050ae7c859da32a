using System.Security.Claims;
using System.Security.Cryptography;
using Mesh.Grains.Security;
using Mesh.Xds.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Mesh.Xds.Tests.Security;

public class BootstrapTokenValidatorTests
{
    private static readonly ECDsaSecurityKey MeshKey = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "mesh-1" };
    private static readonly ECDsaSecurityKey OtherKey = new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = "mesh-1" };

    private static string Token(
        SecurityKey? key = null, string issuer = BootstrapToken.Issuer, string audience = BootstrapToken.Audience,
        string subject = "system:serviceaccount:bookinfo:reviews", TimeSpan? expiresIn = null, string algorithm = SecurityAlgorithms.EcdsaSha256)
    {
        var now = DateTime.UtcNow;
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(10));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            IssuedAt = expires.AddMinutes(-20),
            NotBefore = expires.AddMinutes(-20),
            Expires = expires,
            SigningCredentials = new SigningCredentials(key ?? MeshKey, algorithm),
        });
    }

    private static Task<BootstrapTokenValidator.Result> Validate(string token) => BootstrapTokenValidator.Validate(token, [MeshKey]);

    [Fact]
    public async Task A_token_signed_by_the_mesh_entitles_its_service_account()
    {
        var result = await Validate(Token());
        Assert.True(result.IsValid, result.Problem);
        Assert.Equal(("bookinfo", "reviews"), (result.Namespace, result.ServiceAccount));
    }

    [Fact]
    public async Task A_forged_token_signed_by_another_key_is_refused()
    {
        var result = await Validate(Token(OtherKey));
        Assert.Contains("signature", result.Problem);
    }

    [Fact]
    public async Task An_expired_token_is_refused_beyond_the_clock_skew()
    {
        var result = await Validate(Token(expiresIn: -BootstrapTokenValidator.ClockSkew - TimeSpan.FromSeconds(2)));
        Assert.Contains("expired", result.Problem);
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused()
    {
        var result = await Validate(Token(audience: "kubernetes"));
        Assert.Contains("audience", result.Problem);
    }

    [Fact]
    public async Task A_token_from_another_issuer_is_refused()
    {
        var result = await Validate(Token(issuer: "https://accounts.example.com"));
        Assert.Contains("issuer", result.Problem);
    }

    [Theory]
    [InlineData("reviews")]
    [InlineData("system:serviceaccount:bookinfo")]
    [InlineData("system:serviceaccount::reviews")]
    [InlineData("system:user:bookinfo:reviews")]
    public async Task A_subject_that_names_no_service_account_is_refused(string subject)
    {
        var result = await Validate(Token(subject: subject));
        Assert.Contains("subject", result.Problem);
    }

    [Fact]
    public async Task An_unsigned_token_is_refused()
    {
        var parts = Token().Split('.');
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var result = await Validate($"{header}.{parts[1]}.");
        Assert.False(result.IsValid);
    }

    [Fact]
    public async Task A_token_with_a_tampered_payload_is_refused()
    {
        var parts = Token().Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("bookinfo:reviews", "bookinfo:ratings");
        var result = await Validate($"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}");
        Assert.Contains("signature", result.Problem);
    }

    [Fact]
    public async Task Random_text_and_oversized_tokens_are_refused_without_throwing()
    {
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var length = random.Next(0, 400);
            var text = new string([.. Enumerable.Range(0, length).Select(_ => (char)random.Next(32, 127))]);
            if (i % 3 == 0) text = string.Join('.', text.Split(' ').Take(3));
            Assert.False((await Validate(text)).IsValid);
        }
        Assert.Contains("longer", (await Validate(new string('a', BootstrapTokenValidator.MaxLength + 1))).Problem);
    }
}
