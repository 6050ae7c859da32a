using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Security;
using static Mesh.Sidecar.Tests.Security.JwtConfigs;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>Where tokens are looked for, which rule applies, and the requirement kinds besides Istio's.</summary>
public sealed class JwtRequirementTests
{
    // Shared by the tests of this class (which run one at a time): an RSA key takes long to make on a small machine.
    private static readonly SigningKey Key = SigningKey.Rsa();
    private static readonly SigningKey StrangerKey = SigningKey.Rsa("rsa-1");
    private readonly ManualTime _time = new(Now);

    [Fact]
    public async Task A_token_in_the_access_token_parameter_is_found_by_default_and_removed_when_not_forwarded()
    {
        var provider = Provider(SigningKey.Jwks(Key));
        provider.Forward = false;
        var request = Request(query: $"?page=2&access_token={Key.Sign(Claims())}&sort=asc");

        var result = await Authenticator(Istio(provider)).Authenticate(request);

        Assert.Equal("https://issuer.example.com/alice", result.Principal);
        Assert.Equal("?page=2&sort=asc", request.QueryString.Value);
    }

    [Fact]
    public async Task Configured_locations_replace_the_defaults()
    {
        var provider = Provider(SigningKey.Jwks(Key));
        provider.FromHeaders.Add(new JwtHeader { Name = "X-Jwt-Assertion", ValuePrefix = "Token " });
        provider.FromParams.Add("jwt");
        provider.FromCookies.Add("session");
        var authenticator = Authenticator(Istio(provider));

        var inHeader = Request();
        inHeader.Headers["x-jwt-assertion"] = $"Token {Key.Sign(Claims(("sub", "h")))}; trailing";
        var inParam = Request(query: $"?jwt={Key.Sign(Claims(("sub", "p")))}");
        var inCookie = Request();
        inCookie.Headers.Cookie = $"theme=dark; session={Key.Sign(Claims(("sub", "c")))}";
        var inBearer = Request(Key.Sign(Claims(("sub", "b"))));

        Assert.Equal("https://issuer.example.com/h", (await authenticator.Authenticate(inHeader)).Principal);
        Assert.Equal("https://issuer.example.com/p", (await authenticator.Authenticate(inParam)).Principal);
        Assert.Equal("https://issuer.example.com/c", (await authenticator.Authenticate(inCookie)).Principal);
        Assert.Null((await authenticator.Authenticate(inBearer)).Principal);
    }

    [Fact]
    public async Task A_header_without_the_value_prefix_holds_no_token()
    {
        var request = Request();
        request.Headers.Authorization = $"bearer {Key.Sign(Claims())}";

        var result = await Authenticator(Istio(Provider(SigningKey.Jwks(Key)))).Authenticate(request);

        Assert.True(result.Allowed);
        Assert.Null(result.Principal);
    }

    [Fact]
    public async Task Every_token_a_request_carries_must_be_valid()
    {
        var request = Request(query: $"?access_token={StrangerKey.Sign(Claims())}");
        request.Headers.Authorization = $"Bearer {Key.Sign(Claims())}";

        var result = await Authenticator(Istio(Provider(SigningKey.Jwks(Key)))).Authenticate(request);

        Assert.False(result.Allowed);
        Assert.Equal("Jwt verification fails", result.Message);
    }

    [Fact]
    public async Task Allow_missing_or_failed_lets_a_bad_token_through_without_a_principal()
    {
        var config = Requiring(Provider(SigningKey.Jwks(Key)), new JwtRequirement { AllowMissingOrFailed = new Empty() });
        var authenticator = Authenticator(config);

        var bad = await authenticator.Authenticate(Request(StrangerKey.Sign(Claims())));
        var good = await authenticator.Authenticate(Request(Key.Sign(Claims())));

        Assert.True(bad.Allowed);
        Assert.Null(bad.Principal);
        Assert.Equal("https://issuer.example.com/alice", good.Principal);
    }

    [Fact]
    public async Task Allow_missing_alone_refuses_a_bad_token()
    {
        var config = Requiring(Provider(SigningKey.Jwks(Key)), new JwtRequirement { AllowMissing = new Empty() });

        var result = await Authenticator(config).Authenticate(Request(Key.Sign(Claims(("exp", 1)))));

        Assert.Equal("Jwt is expired", result.Message);
    }

    [Fact]
    public async Task Requires_all_needs_a_token_of_each_provider()
    {
        using var other = SigningKey.Ec();
        var second = new JwtProvider { Issuer = "https://second.example.com", LocalJwks = new() { InlineString = SigningKey.Jwks(other) }, FromHeaders = { new JwtHeader { Name = "x-second" } } };
        var config = Requiring(Provider(SigningKey.Jwks(Key)), new JwtRequirement
        {
            RequiresAll = new JwtRequirementAndList { Requirements = { new JwtRequirement { ProviderName = ProviderName }, new JwtRequirement { ProviderName = "second" } } },
        });
        config.Providers["second"] = second;
        var authenticator = Authenticator(config);
        var both = Request(Key.Sign(Claims()));
        both.Headers["x-second"] = other.Sign(Claims(("iss", "https://second.example.com"), ("sub", "svc")));

        Assert.True((await authenticator.Authenticate(both)).Allowed);
        Assert.Equal("Jwt is missing", (await authenticator.Authenticate(Request(Key.Sign(Claims())))).Message);
    }

    [Fact]
    public async Task Provider_and_audiences_replaces_the_providers_audiences()
    {
        var config = Requiring(Provider(SigningKey.Jwks(Key)), new JwtRequirement
        {
            ProviderAndAudiences = new ProviderWithAudiences { ProviderName = ProviderName, Audiences = { "billing" } },
        });
        var authenticator = Authenticator(config);

        Assert.True((await authenticator.Authenticate(Request(Key.Sign(Claims(("aud", "billing")))))).Allowed);
        Assert.Equal(403, (await authenticator.Authenticate(Request(Key.Sign(Claims(("aud", "shop")))))).StatusCode);
    }

    [Fact]
    public async Task The_first_matching_rule_decides_and_a_request_no_rule_matches_is_not_checked()
    {
        var config = Requiring(Provider(SigningKey.Jwks(Key)), new JwtRequirement { ProviderName = ProviderName }, prefix: "/admin");
        config.Rules.Insert(0, new RequirementRule { Match = new RouteMatch { Path = "/admin/health" } });
        var authenticator = Authenticator(config);

        Assert.True((await authenticator.Authenticate(Request("garbage", path: "/v1/items"))).Allowed);
        Assert.True((await authenticator.Authenticate(Request(path: "/admin/health"))).Allowed);
        Assert.Equal("Jwt is missing", (await authenticator.Authenticate(Request(path: "/admin/users"))).Message);
    }

    [Theory]
    [InlineData("/API/v1", false, true)]
    [InlineData("/API/v1", true, false)]
    [InlineData("/api/v1?x=/y", true, true)]
    public async Task Rule_paths_are_matched_without_the_query_and_case_sensitively_by_default(string path, bool caseSensitive, bool required)
    {
        var config = Requiring(Provider(SigningKey.Jwks(Key)), new JwtRequirement { ProviderName = ProviderName });
        config.Rules[0].Match = new RouteMatch { PathSeparatedPrefix = "/api", CaseSensitive = caseSensitive };
        var split = path.Split('?');

        var result = await Authenticator(config).Authenticate(Request(path: split[0], query: split.Length > 1 ? "?" + split[1] : ""));

        Assert.Equal(required, !result.Allowed);
    }

    [Fact]
    public async Task A_CORS_preflight_is_let_through_when_asked()
    {
        var config = Requiring(Provider(SigningKey.Jwks(Key)), new JwtRequirement { ProviderName = ProviderName });
        config.BypassCorsPreflight = true;
        var preflight = Request();
        preflight.Method = "OPTIONS";
        preflight.Headers.Origin = "https://app.example.com";
        preflight.Headers.AccessControlRequestMethod = "POST";

        Assert.True((await Authenticator(config).Authenticate(preflight)).Allowed);
    }

    private JwtAuthenticator Authenticator(JwtAuthentication config)
        => JwtAuthenticator.Compile(config, new JwtAuthenticatorOptions { Time = _time });
}
