using System.Net;
using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;
using Mesh.Sidecar.Proxy.RateLimits;
using Mesh.Sidecar.Tests.Config;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Hosting;
using Mesh.Sidecar.Security;
using Mesh.Sidecar.Tests.Proxy.RateLimits;
using Mesh.Sidecar.Tests.Security;
using Mesh.Xds.Protos.ApiPolicy;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mesh.Sidecar.Tests.Proxy;

/// <summary>A gateway route's ApiPolicy in Envoy's filter order: IP lists, API key, body size, rate limits.</summary>
public sealed class ApiPolicyEnforcementTests
{
    private const string Key = "test";
    private readonly SteppedClock _clock = new();
    private readonly ApiPolicyEnforcement _enforcement;

    public ApiPolicyEnforcementTests()
    {
        var leases = new ClusterLeases(new LeaseChannel(new FakeLeases(_clock).Grant), _clock, NullLogger<ClusterLeases>.Instance);
        _enforcement = new ApiPolicyEnforcement(new RateLimiter(leases, _clock));
    }

    private static ApiPolicyModel Policy(uint trustedHops = 0, RateLimitRule? rule = null) =>
        ApiPolicyCompiler.Compile(ApiPolicyCompilerTests.Configs(trustedHops, rule), "route", [])!;

    private static DefaultHttpContext Request(string path = "/api/orders", string? key = Key, string client = "10.2.0.1", string? user = "ann")
    {
        var context = Outbound.Request("api.example.com", path);
        context.Connection.RemoteIpAddress = IPAddress.Parse(client);
        if (key is not null) context.Request.Headers["x-api-key"] = key;
        if (user is not null) context.Request.Headers["x-user"] = user;
        return context;
    }

    [Fact]
    public async Task A_known_key_names_its_consumer_for_logs_metrics_and_the_upstream()
    {
        var context = Request();

        Assert.True(await _enforcement.Admit(context, Policy()));
        Assert.Equal("acme", context.Items[RequestItems.Consumer]);
        Assert.Equal("acme", context.Request.Headers["x-mesh-consumer"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("")]
    public async Task A_missing_or_wrong_key_is_401(string? key)
    {
        var context = Request(key: key);

        Assert.False(await _enforcement.Admit(context, Policy()));
        Assert.Equal(401, context.Response.StatusCode);
        Assert.Equal("ApiKey header=\"x-api-key\"", context.Response.Headers.WWWAuthenticate);
        Assert.False(context.Items.ContainsKey(RequestItems.Consumer));
    }

    [Theory]
    [InlineData("10.1.2.3", null, 0, 403)]        // in ipDeny
    [InlineData("192.168.0.1", null, 0, 403)]     // outside ipAllow
    [InlineData("10.2.0.1", null, 0, 200)]
    [InlineData("10.2.0.1", "10.1.9.9", 1, 403)]  // the client one trusted hop in
    [InlineData("10.2.0.1", "10.1.9.9", 0, 200)]  // x-forwarded-for not trusted: the peer counts
    public async Task The_IP_lists_judge_the_client_address_after_the_trusted_hops(string peer, string? forwardedFor, uint hops, int status)
    {
        var context = Request(client: peer);
        if (forwardedFor is not null) context.Request.Headers["x-forwarded-for"] = forwardedFor;

        var admitted = await _enforcement.Admit(context, Policy(trustedHops: hops));

        Assert.Equal(status == 200, admitted);
        Assert.Equal(status, context.Response.StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var context = Request();
        context.Request.ContentLength = 17;

        Assert.False(await _enforcement.Admit(context, Policy()));
        Assert.Equal(413, context.Response.StatusCode);
    }

    [Fact]
    public async Task Past_the_bucket_each_key_gets_429_with_the_rate_limit_headers()
    {
        var policy = Policy();

        Assert.True(await _enforcement.Admit(Request(), policy));
        Assert.True(await _enforcement.Admit(Request(), policy));
        var limited = Request();
        Assert.False(await _enforcement.Admit(limited, policy));
        Assert.True(await _enforcement.Admit(Request(user: "bob"), policy));      // another key, another bucket
        Assert.True(await _enforcement.Admit(Request(path: "/health"), policy));  // the limit does not match
        Assert.True(await _enforcement.Admit(Request(user: null), policy));       // no key value: the limit does not apply

        Assert.Equal(429, limited.Response.StatusCode);
        Assert.Equal(("2", "0", "1", "true"), (limited.Response.Headers["x-ratelimit-limit"].ToString(), limited.Response.Headers["x-ratelimit-remaining"].ToString(),
            limited.Response.Headers["x-ratelimit-reset"].ToString(), limited.Response.Headers["x-envoy-ratelimited"].ToString()));
        Assert.Equal("RL", limited.Items[RequestItems.ResponseFlags]);

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await _enforcement.Admit(Request(), policy));
    }

    [Fact]
    public async Task A_rate_limited_gRPC_request_is_RESOURCE_EXHAUSTED()
    {
        var policy = Policy(rule: new RateLimitRule { Name = "per-user", KeyType = RateLimitRule.Types.KeyType.Consumer });
        for (var i = 0; i < 2; i++) Assert.True(await _enforcement.Admit(Request(), policy));
        var grpc = Request(path: "/shop.Cart/Add");
        grpc.Request.ContentType = "application/grpc";

        Assert.False(await _enforcement.Admit(grpc, policy));
        Assert.Equal(200, grpc.Response.StatusCode);
        Assert.Equal("8", grpc.Response.Headers["grpc-status"]);
    }

    [Fact]
    public async Task An_admitted_request_gets_its_buckets_rate_limit_headers_on_the_response()
    {
        var policy = Policy();
        var (context, response) = Started(Request());

        Assert.True(await _enforcement.Admit(context, policy));
        await response.Start();

        Assert.Equal(("2", "1", "1"), (response.Headers["x-ratelimit-limit"].ToString(), response.Headers["x-ratelimit-remaining"].ToString(),
            response.Headers["x-ratelimit-reset"].ToString()));
        Assert.False(response.Headers.ContainsKey("x-envoy-ratelimited"));
    }

    [Fact]
    public async Task A_request_no_limit_counts_gets_no_rate_limit_headers()
    {
        var (context, response) = Started(Request(path: "/health"));

        Assert.True(await _enforcement.Admit(context, Policy()));
        await response.Start();

        Assert.False(response.Headers.ContainsKey("x-ratelimit-limit"));
    }

    [Fact]
    public async Task A_JwtClaim_limit_counts_only_claims_the_gateways_JWT_authentication_verified()
    {
        using var issuerKey = SigningKey.Ec();
        using var forgerKey = SigningKey.Ec(); // the same kid, another key
        // allow_missing_or_failed: a token that does not verify still passes authentication, unverified.
        var config = JwtConfigs.Requiring(JwtConfigs.Provider(SigningKey.Jwks(issuerKey)), new JwtRequirement
        {
            RequiresAny = new JwtRequirementOrList { Requirements = { new JwtRequirement { ProviderName = JwtConfigs.ProviderName }, new JwtRequirement { AllowMissingOrFailed = new Empty() } } },
        });
        var jwt = JwtAuthenticator.Compile(config, new JwtAuthenticatorOptions { Time = new ManualTime(JwtConfigs.Now) });
        var inbound = new InboundModel(InboundTransports.Both, new Dictionary<uint, InboundTransports>(), new InboundHttpFilters(jwt, RbacEngine.Empty));
        var security = new InboundSecurity(new SidecarOptions { XdsServers = ["127.0.0.1:1"], Workload = "edge" }, NullLogger<InboundSecurity>.Instance);
        var policy = Policy(rule: new RateLimitRule { Name = "per-user", KeyType = RateLimitRule.Types.KeyType.JwtClaim, KeyName = "sub" });

        async Task<(bool Admitted, StartingResponse Response)> Send(SigningKey key, string subject)
        {
            var (context, response) = Started(Request(user: null));
            context.Request.Headers.Authorization = $"Bearer {key.Sign(JwtConfigs.Claims(("sub", subject)))}";
            Assert.True((await security.Evaluate(context, inbound)).Allowed);
            var admitted = await _enforcement.Admit(context, policy);
            await response.Start();
            return (admitted, response);
        }

        var verified = await Send(issuerKey, "alice");
        Assert.True(verified.Admitted);
        Assert.Equal("1", verified.Response.Headers["x-ratelimit-remaining"].ToString());
        // A forged token naming a new subject opens no bucket of its own: not counted, as a request without the claim.
        var forged = await Send(forgerKey, "mallory");
        Assert.True(forged.Admitted);
        Assert.False(forged.Response.Headers.ContainsKey("x-ratelimit-remaining"));
        Assert.True((await Send(issuerKey, "alice")).Admitted);
        Assert.False((await Send(issuerKey, "alice")).Admitted);
    }

    private static (DefaultHttpContext Context, StartingResponse Response) Started(DefaultHttpContext context)
    {
        var response = new StartingResponse();
        context.Features.Set<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>(response);
        return (context, response);
    }
}
