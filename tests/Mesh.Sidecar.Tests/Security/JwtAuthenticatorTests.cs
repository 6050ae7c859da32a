using Mesh.Xds.Resources;
using System.Buffers.Text;
using System.Text;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Security;
using static Mesh.Sidecar.Tests.Security.JwtConfigs;

namespace Mesh.Sidecar.Tests.Security;

/// <summary>jwt_authn with Istio's RequestAuthentication shape (a token of the provider, or none) and local JWKS.</summary>
public sealed class JwtAuthenticatorTests
{
    // Shared by the tests of this class (which run one at a time): an RSA key takes long to make on a small machine.
    private static readonly SigningKey RsaKey = SigningKey.Rsa();
    private static readonly SigningKey EcKey = SigningKey.Ec();
    private static readonly SigningKey StrangerKey = SigningKey.Rsa("rsa-1");
    private readonly ManualTime _time = new(Now);

    [Fact]
    public async Task A_valid_RS256_token_passes_with_its_principal()
    {
        var request = Request(RsaKey.Sign(Claims()));

        var result = await Authenticator().Authenticate(request);

        Assert.True(result.Allowed);
        Assert.Equal("https://issuer.example.com/alice", result.Principal);
        Assert.Equal("https://issuer.example.com/alice", result.Metadata["istio_authn"].Fields["request.auth.principal"].StringValue);
    }

    [Fact]
    public async Task A_valid_ES256_token_passes()
    {
        var request = Request(EcKey.Sign(Claims(("sub", "bob"))));

        var result = await Authenticator().Authenticate(request);

        Assert.True(result.Allowed);
        Assert.Equal("https://issuer.example.com/bob", result.Principal);
    }

    [Theory]
    [InlineData("expired", 401, "Jwt is expired")]
    [InlineData("not yet valid", 401, "Jwt not yet valid")]
    [InlineData("other issuer", 401, "Jwt issuer is not configured")]
    [InlineData("other audience", 403, "Audiences in Jwt are not allowed")]
    [InlineData("no audience", 403, "Audiences in Jwt are not allowed")]
    [InlineData("signed by another key", 401, "Jwt verification fails")]
    [InlineData("unknown kid", 401, "Jwks doesn't have key to match kid or alg from Jwt")]
    [InlineData("RS256 header on the EC key", 401, "Jwt verification fails")]
    public async Task A_bad_token_is_refused_with_Envoys_status_and_message(string problem, int status, string message)
    {
        var token = problem switch
        {
            "expired" => RsaKey.Sign(Claims(("exp", Now.AddSeconds(-61).ToUnixTimeSeconds()))),
            "not yet valid" => RsaKey.Sign(Claims(("nbf", Now.AddSeconds(61).ToUnixTimeSeconds()))),
            "other issuer" => RsaKey.Sign(Claims(("iss", "https://elsewhere.example.com"))),
            "other audience" => RsaKey.Sign(Claims(("aud", new[] { "billing", "search" }))),
            "no audience" => RsaKey.Sign(Claims(("aud", null))),
            "signed by another key" => StrangerKey.Sign(Claims()),
            "unknown kid" => RsaKey.Sign(Claims(), kid: "rsa-2"),
            _ => EcKey.Sign(Claims(), alg: "RS256"),
        };

        var result = await Authenticator().Authenticate(Request(token));

        Assert.False(result.Allowed);
        Assert.Equal(status, result.StatusCode);
        Assert.Equal(message, result.Message);
        Assert.Equal(message, result.ResponseBody);
        Assert.Equal("Bearer realm=\"https://api.example.com/v1/items\", error=\"invalid_token\"", result.WwwAuthenticate);
        Assert.Equal($"jwt_authn_access_denied{{{message.Replace(' ', '_')}}}", result.ResponseCodeDetails);
    }

    [Theory]
    [InlineData(-59, 0, 0, true)]
    [InlineData(0, 59, 0, true)]
    [InlineData(-30, 0, 10, false)]
    [InlineData(-5, 0, 10, true)]
    public async Task Lifetimes_are_checked_with_60_seconds_of_clock_skew_unless_configured(int expiresIn, int notBeforeIn, uint skew, bool allowed)
    {
        var provider = Provider(SigningKey.Jwks(RsaKey, EcKey));
        provider.ClockSkewSeconds = skew;
        var token = RsaKey.Sign(Claims(("exp", Now.AddSeconds(expiresIn).ToUnixTimeSeconds()), ("nbf", Now.AddSeconds(notBeforeIn).ToUnixTimeSeconds())));

        var result = await Authenticator(Istio(provider)).Authenticate(Request(token));

        Assert.Equal(allowed, result.Allowed);
    }

    [Theory]
    [InlineData("shop", true)]
    [InlineData("https://shop/", true)]
    [InlineData("http://shop", true)]
    [InlineData("shop2", false)]
    public async Task Any_configured_audience_admits_the_token_ignoring_scheme_and_trailing_slash(string audience, bool allowed)
    {
        var token = RsaKey.Sign(Claims(("aud", new[] { "other", audience })));

        Assert.Equal(allowed, (await Authenticator().Authenticate(Request(token))).Allowed);
    }

    [Fact]
    public async Task Without_configured_audiences_any_audience_passes()
    {
        var provider = Provider(SigningKey.Jwks(RsaKey));
        provider.Audiences.Clear();

        var result = await Authenticator(Istio(provider)).Authenticate(Request(RsaKey.Sign(Claims(("aud", "anything")))));

        Assert.True(result.Allowed);
    }

    [Fact]
    public async Task A_request_without_a_token_passes_with_no_principal_when_missing_is_allowed()
    {
        var result = await Authenticator().Authenticate(Request());

        Assert.True(result.Allowed);
        Assert.Null(result.Principal);
        Assert.Empty(result.Metadata);
    }

    [Fact]
    public async Task A_request_without_a_token_is_refused_when_the_provider_is_required()
    {
        var config = Requiring(Provider(SigningKey.Jwks(RsaKey)), new JwtRequirement { ProviderName = ProviderName });

        var result = await Authenticator(config).Authenticate(Request(query: "?page=2"));

        Assert.False(result.Allowed);
        Assert.Equal(401, result.StatusCode);
        Assert.Equal("Jwt is missing", result.Message);
        Assert.Equal("Bearer realm=\"https://api.example.com/v1/items?page=2\"", result.WwwAuthenticate);
    }

    [Fact]
    public async Task A_bearer_value_that_is_not_a_token_is_not_a_missing_token()
    {
        var result = await Authenticator().Authenticate(Request("not-a-jwt"));

        Assert.False(result.Allowed);
        Assert.Equal("Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections", result.Message);
    }

    [Fact]
    public async Task Forward_false_removes_the_token_header_and_forward_true_keeps_it()
    {
        var stripping = Provider(SigningKey.Jwks(RsaKey));
        stripping.Forward = false;
        var stripped = Request(RsaKey.Sign(Claims()));
        var kept = Request(RsaKey.Sign(Claims()));

        Assert.True((await Authenticator(Istio(stripping)).Authenticate(stripped)).Allowed);
        Assert.True((await Authenticator().Authenticate(kept)).Allowed);

        Assert.False(stripped.Headers.ContainsKey("authorization"));
        Assert.True(kept.Headers.ContainsKey("authorization"));
    }

    [Fact]
    public async Task A_failed_token_stays_in_the_request()
    {
        var stripping = Provider(SigningKey.Jwks(RsaKey));
        stripping.Forward = false;
        var request = Request(StrangerKey.Sign(Claims()));

        await Authenticator(Istio(stripping)).Authenticate(request);

        Assert.True(request.Headers.ContainsKey("authorization"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_payload_header_carries_the_tokens_payload_segment(bool padded)
    {
        var provider = Provider(SigningKey.Jwks(RsaKey));
        provider.ForwardPayloadHeader = "x-jwt-payload";
        provider.PadForwardPayloadHeader = padded;
        var token = RsaKey.Sign(Claims(("x", "y")));
        var request = Request(token);

        await Authenticator(Istio(provider)).Authenticate(request);

        var payload = token.Split('.')[1];
        Assert.Equal(padded ? payload.PadRight((payload.Length + 3) / 4 * 4, '=') : payload, request.Headers["x-jwt-payload"].ToString());
        Assert.Contains("\"sub\":\"alice\"", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(payload)));
    }

    [Fact]
    public async Task Headers_the_provider_sets_cannot_be_forged_by_the_client()
    {
        var provider = Provider(SigningKey.Jwks(RsaKey));
        provider.ForwardPayloadHeader = "x-jwt-payload";
        provider.ClaimToHeaders.Add(new JwtClaimToHeader { HeaderName = "x-user-id", ClaimName = "sub" });
        var request = Request();
        request.Headers["x-jwt-payload"] = "forged";
        request.Headers["X-User-Id"] = "admin";

        var result = await Authenticator(Istio(provider)).Authenticate(request);

        Assert.True(result.Allowed);
        Assert.False(request.Headers.ContainsKey("x-jwt-payload"));
        Assert.False(request.Headers.ContainsKey("x-user-id"));
    }

    [Fact]
    public async Task Claims_are_copied_to_headers_as_Envoy_writes_them()
    {
        var provider = Provider(SigningKey.Jwks(RsaKey));
        foreach (var (header, claim) in new[] { ("x-sub", "sub"), ("x-level", "level"), ("x-ratio", "ratio"), ("x-admin", "admin"), ("x-team", "org.team"), ("x-org", "org"), ("x-none", "absent") })
        {
            provider.ClaimToHeaders.Add(new JwtClaimToHeader { HeaderName = header, ClaimName = claim });
        }
        var request = Request(RsaKey.Sign(Claims(("level", 3), ("ratio", 1.5), ("admin", true), ("org", new Dictionary<string, object> { ["team"] = "payments" }))));

        await Authenticator(Istio(provider)).Authenticate(request);

        Assert.Equal("alice", request.Headers["x-sub"].ToString());
        Assert.Equal("3", request.Headers["x-level"].ToString());
        Assert.Equal("1.500000", request.Headers["x-ratio"].ToString());
        Assert.Equal("true", request.Headers["x-admin"].ToString());
        Assert.Equal("payments", request.Headers["x-team"].ToString());
        Assert.Equal("{\"team\":\"payments\"}", Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers["x-org"].ToString())));
        Assert.False(request.Headers.ContainsKey("x-none"));
    }

    [Fact]
    public async Task A_claim_that_would_split_a_header_is_not_copied()
    {
        var provider = Provider(SigningKey.Jwks(RsaKey));
        provider.ClaimToHeaders.Add(new JwtClaimToHeader { HeaderName = "x-name", ClaimName = "name" });
        provider.ClaimToHeaders.Add(new JwtClaimToHeader { HeaderName = "x-sub", ClaimName = "sub" });
        var request = Request(RsaKey.Sign(Claims(("name", "eve\r\nX-Injected: 1"))));

        var result = await Authenticator(Istio(provider)).Authenticate(request);

        Assert.True(result.Allowed);
        Assert.False(request.Headers.ContainsKey("x-name"));
        Assert.False(request.Headers.ContainsKey("x-injected"));
        Assert.Equal("alice", request.Headers["x-sub"].ToString());
    }

    [Fact]
    public async Task A_verified_token_produces_the_istio_authn_metadata_RBAC_reads()
    {
        var token = RsaKey.Sign(Claims(("aud", new[] { "shop", "search" }), ("azp", "web-app"), ("groups", new[] { "admin", "dev" }), ("level", 3),
            ("org", new Dictionary<string, object> { ["team"] = "payments" })));

        var result = await Authenticator().Authenticate(Request(token));

        var authn = result.Metadata["istio_authn"].Fields;
        Assert.Equal("https://issuer.example.com/alice", authn["request.auth.principal"].StringValue);
        Assert.Equal(["shop", "search"], authn["request.auth.audiences"].ListValue.Values.Select(v => v.StringValue));
        Assert.Equal("web-app", authn["request.auth.presenter"].StringValue);
        var claims = authn["request.auth.claims"].StructValue.Fields;
        Assert.Equal(["alice"], claims["sub"].ListValue.Values.Select(v => v.StringValue));
        Assert.Equal(["admin", "dev"], claims["groups"].ListValue.Values.Select(v => v.StringValue));
        Assert.Equal(3, Assert.Single(claims["level"].ListValue.Values).NumberValue);
        Assert.Equal("payments", Assert.Single(claims["org"].StructValue.Fields["team"].ListValue.Values).StringValue);
    }

    [Fact]
    public async Task A_single_audience_is_a_string_in_istio_authn()
    {
        var result = await Authenticator().Authenticate(Request(RsaKey.Sign(Claims())));

        Assert.Equal("shop", result.Metadata["istio_authn"].Fields["request.auth.audiences"].StringValue);
    }

    [Fact]
    public async Task The_payload_and_header_go_to_jwt_authn_metadata_with_space_delimited_claims_split()
    {
        var provider = Provider(SigningKey.Jwks(RsaKey));
        provider.HeaderInMetadata = "jwt-header";
        provider.NormalizePayloadInMetadata = new JwtProvider.Types.NormalizePayload { SpaceDelimitedClaims = { "scope" } };

        var result = await Authenticator(Istio(provider)).Authenticate(Request(RsaKey.Sign(Claims(("scope", "read  write")))));

        var data = result.Metadata[EnvoyFilters.JwtAuthn].Fields;
        var payload = data[Issuer].StructValue.Fields;
        Assert.Equal("alice", payload["sub"].StringValue);
        Assert.Equal(["read", "write"], payload["scope"].ListValue.Values.Select(v => v.StringValue));
        Assert.Equal("RS256", data["jwt-header"].StructValue.Fields["alg"].StringValue);
        Assert.Equal(["read  write"], result.Metadata["istio_authn"].Fields["request.auth.claims"].StructValue.Fields["scope"].ListValue.Values.Select(v => v.StringValue));
    }

    [Fact]
    public async Task Istio_authn_metadata_lets_RBAC_allow_a_request_principal()
    {
        var rbac = RbacEngine.Compile([Rbac.Filter(Envoy.Config.Rbac.V3.RBAC.Types.Action.Allow, principal: """
            {"metadata": {"filter": "istio_authn", "path": [{"key": "request.auth.principal"}], "value": {"string_match": {"exact": "https://issuer.example.com/alice"}}}}
            """)]);
        var withToken = Request(RsaKey.Sign(Claims()));
        var withoutToken = Request();

        var authenticated = await Authenticator().Authenticate(withToken);
        var anonymous = await Authenticator().Authenticate(withoutToken);

        Assert.True(rbac.Evaluate(RequestFacts.From(withToken.HttpContext, null, authenticated.Metadata)).Allowed);
        Assert.False(rbac.Evaluate(RequestFacts.From(withoutToken.HttpContext, null, anonymous.Metadata)).Allowed);
    }

    [Fact]
    public async Task An_inline_JWKS_without_usable_keys_fails_every_token()
    {
        var result = await Authenticator(Istio(Provider("""{"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}]}"""))).Authenticate(Request(RsaKey.Sign(Claims())));

        Assert.False(result.Allowed);
        Assert.Equal("Jwks doesn't have any valid public key", result.Message);
    }

    [Fact]
    public async Task Strip_failure_response_sends_neither_body_nor_challenge()
    {
        var config = Istio(Provider(SigningKey.Jwks(RsaKey)));
        config.StripFailureResponse = true;

        var result = await Authenticator(config).Authenticate(Request(StrangerKey.Sign(Claims())));

        Assert.Equal(401, result.StatusCode);
        Assert.Equal("Jwt verification fails", result.Message);
        Assert.Null(result.ResponseBody);
        Assert.Null(result.WwwAuthenticate);
    }

    private JwtAuthenticator Authenticator(JwtAuthentication? config = null)
        => JwtAuthenticator.Compile(config ?? Istio(Provider(SigningKey.Jwks(RsaKey, EcKey))), new JwtAuthenticatorOptions { Time = _time });
}
