using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Mesh.Xds.Translation.Security;
using static Mesh.Xds.Tests.Translation.Security.SecuritySpecs;

namespace Mesh.Xds.Tests.Translation.Security;

public sealed class RequestAuthenticationTranslatorTests
{
    private const string Full = """
        {"jwtRules": [{
          "issuer": "issuer-foo",
          "audiences": ["bookstore_android.apps.example.com", "bookstore_web.apps.example.com"],
          "jwksUri": "https://keys.example.com:8443/.well-known/jwks.json",
          "fromHeaders": [{"name": "x-jwt-assertion", "prefix": "Bearer "}, {"name": "x-token"}],
          "fromParams": ["my_token"],
          "fromCookies": ["session"],
          "outputPayloadToHeader": "x-jwt-payload",
          "forwardOriginalToken": true,
          "outputClaimToHeaders": [{"header": "x-jwt-claim-foo", "claim": "foo"}],
          "timeout": "2s"}]}
        """;

    private static JwtAuthentication Config(params Mesh.Grains.Services.ConfigSpec[] policies)
    {
        var result = RequestAuthenticationTranslator.Translate(policies);
        Assert.Empty(result.Warnings);
        Assert.Equal("envoy.filters.http.jwt_authn", result.Filter!.Name);
        return result.Filter.TypedConfig.Unpack<JwtAuthentication>();
    }

    [Fact]
    public void Without_JWT_rules_there_is_no_filter()
    {
        Assert.Null(RequestAuthenticationTranslator.Translate([]).Filter);
        Assert.Null(RequestAuthenticationTranslator.Translate([Authentication("empty", "{}")]).Filter);
    }

    [Fact]
    public void A_JWT_rule_maps_field_by_field_onto_a_provider()
    {
        var provider = Config(Authentication("jwt", Full)).Providers["origins-0"];

        Assert.Equal("issuer-foo", provider.Issuer);
        Assert.Equal(["bookstore_android.apps.example.com", "bookstore_web.apps.example.com"], provider.Audiences);
        Assert.Equal([("x-jwt-assertion", "Bearer "), ("x-token", "")], provider.FromHeaders.Select(h => (h.Name, h.ValuePrefix)));
        Assert.Equal(["my_token"], provider.FromParams);
        Assert.Equal(["session"], provider.FromCookies);
        Assert.Equal("x-jwt-payload", provider.ForwardPayloadHeader);
        Assert.True(provider.Forward);
        Assert.Equal([("x-jwt-claim-foo", "foo")], provider.ClaimToHeaders.Select(c => (c.HeaderName, c.ClaimName)));
        Assert.Equal("issuer-foo", provider.PayloadInMetadata);
    }

    [Fact]
    public void A_jwks_uri_is_fetched_through_a_cluster_named_after_its_host_and_cached_five_minutes()
    {
        var remote = Config(Authentication("jwt", Full)).Providers["origins-0"].RemoteJwks;

        Assert.Equal("https://keys.example.com:8443/.well-known/jwks.json", remote.HttpUri.Uri);
        Assert.Equal("keys.example.com", remote.HttpUri.Cluster);
        Assert.Equal(2, remote.HttpUri.Timeout.Seconds);
        Assert.Equal(300, remote.CacheDuration.Seconds);
    }

    [Fact]
    public void The_fetch_timeout_is_five_seconds_unless_the_rule_says_otherwise()
    {
        var remote = Config(Authentication("jwt", """{"jwtRules": [{"issuer": "a", "jwksUri": "https://a.example/jwks"}]}"""))
            .Providers["origins-0"].RemoteJwks;

        Assert.Equal(5, remote.HttpUri.Timeout.Seconds);
    }

    [Fact]
    public void Inline_jwks_become_local_jwks()
    {
        var provider = Config(Authentication("jwt", """{"jwtRules": [{"issuer": "a", "jwks": "{\"keys\": []}"}]}""")).Providers["origins-0"];

        Assert.Equal(JwtProvider.JwksSourceSpecifierOneofCase.LocalJwks, provider.JwksSourceSpecifierCase);
        Assert.Equal("""{"keys": []}""", provider.LocalJwks.InlineString);
    }

    [Fact]
    public void A_rule_without_keys_rejects_its_tokens_and_says_so()
    {
        var result = RequestAuthenticationTranslator.Translate([Authentication("jwt", """{"jwtRules": [{"issuer": "https://idp.example"}]}""")]);

        var provider = result.Filter!.TypedConfig.Unpack<JwtAuthentication>().Providers["origins-0"];
        Assert.Equal(JwtProviderTranslator.NoKeys, provider.LocalJwks.InlineString);
        Assert.Contains("https://idp.example", Assert.Single(result.Warnings));
    }

    [Fact]
    public void Every_path_requires_a_valid_token_of_any_provider_or_no_token_at_all()
    {
        var config = Config(
            Authentication("b", """{"jwtRules": [{"issuer": "b", "jwks": "{}"}]}"""),
            Authentication("a", """{"jwtRules": [{"issuer": "a1", "jwks": "{}"}, {"issuer": "a2", "jwks": "{}"}]}"""));

        Assert.Equal(["a1", "a2", "b"], new[] { "origins-0", "origins-1", "origins-2" }.Select(n => config.Providers[n].Issuer));
        var rule = Assert.Single(config.Rules);
        Assert.Equal("/", rule.Match.Prefix);
        var requirements = rule.Requires.RequiresAny.Requirements;
        Assert.Equal(["origins-0", "origins-1", "origins-2"], requirements.Take(3).Select(r => r.ProviderName));
        Assert.Equal(JwtRequirement.RequiresTypeOneofCase.AllowMissing, requirements[3].RequiresTypeCase);
        Assert.Equal(4, requirements.Count);
        Assert.True(config.BypassCorsPreflight);
    }
}
