using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Resources = Mesh.Sidecar.Tests.Config.Resources;

namespace Mesh.Sidecar.Tests.Proxy;

public sealed class CorsEnforcementTests
{
    private static readonly CorsPolicyModel Policy = Resources.Route(Config.CorsCompilerTests.Route(Config.CorsCompilerTests.Policy)).Cors!;

    private static (DefaultHttpContext Context, StartingResponse Response) Request(string method, string? origin, string? requestMethod = null)
    {
        var context = Outbound.Request("web:80", "/", method);
        var response = new StartingResponse();
        context.Features.Set<IHttpResponseFeature>(response);
        if (origin is not null) context.Request.Headers.Origin = origin;
        if (requestMethod is not null) context.Request.Headers.AccessControlRequestMethod = requestMethod;
        return (context, response);
    }

    [Fact]
    public void A_preflight_from_an_allowed_origin_is_answered_with_the_policys_headers()
    {
        var (context, _) = Request("OPTIONS", "https://app.example.com", "POST");

        Assert.True(CorsEnforcement.Apply(context, Policy));

        var headers = context.Response.Headers;
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("https://app.example.com", headers.AccessControlAllowOrigin);
        Assert.Equal(("GET,POST", "x-token", "600", "true"),
            (headers.AccessControlAllowMethods.ToString(), headers.AccessControlAllowHeaders.ToString(), headers.AccessControlMaxAge.ToString(), headers.AccessControlAllowCredentials.ToString()));
    }

    [Theory]
    [InlineData("OPTIONS", "https://evil.example.com", "POST")]
    [InlineData("OPTIONS", "https://app.example.com", null)]
    [InlineData("OPTIONS", null, "POST")]
    public async Task A_preflight_from_another_origin_or_an_incomplete_one_goes_on_untouched(string method, string? origin, string? requestMethod)
    {
        var (context, response) = Request(method, origin, requestMethod);

        var answered = CorsEnforcement.Apply(context, Policy);
        await response.Start();

        Assert.False(answered);
        if (origin != "https://app.example.com") Assert.False(context.Response.Headers.ContainsKey("access-control-allow-origin"));
        Assert.False(context.Response.Headers.ContainsKey("access-control-allow-methods"));
    }

    [Fact]
    public async Task An_actual_request_from_an_allowed_origin_gets_origin_credentials_and_exposed_headers_on_its_response()
    {
        var (context, response) = Request("POST", "https://x.trusted.dev");

        Assert.False(CorsEnforcement.Apply(context, Policy));
        context.Response.Headers.AccessControlAllowOrigin = "*"; // the upstream's own value is overwritten, as Envoy does
        await response.Start();

        var headers = context.Response.Headers;
        Assert.Equal(("https://x.trusted.dev", "true", "x-trace"),
            (headers.AccessControlAllowOrigin.ToString(), headers.AccessControlAllowCredentials.ToString(), headers.AccessControlExposeHeaders.ToString()));
        Assert.False(headers.ContainsKey("access-control-allow-methods"));
    }

    [Fact]
    public async Task An_actual_request_from_another_origin_gets_no_CORS_headers()
    {
        var (context, response) = Request("GET", "https://evil.example.com");

        Assert.False(CorsEnforcement.Apply(context, Policy));
        await response.Start();

        Assert.False(context.Response.Headers.ContainsKey("access-control-allow-origin"));
    }

    [Fact]
    public void With_forward_not_matching_preflights_false_another_origins_preflight_is_answered_without_allow_origin()
    {
        var (context, _) = Request("OPTIONS", "https://evil.example.com", "GET");

        Assert.True(CorsEnforcement.Apply(context, Policy with { ForwardNotMatchingPreflights = false }));

        // Envoy's reply: the policy's other preflight headers, but the origin is not allowed, so it is not named.
        Assert.Equal(200, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("access-control-allow-origin"));
        Assert.Equal(Policy.AllowMethods, context.Response.Headers.AccessControlAllowMethods.ToString());
    }

    [Fact]
    public void A_star_in_allow_methods_or_allow_headers_answers_with_what_the_preflight_asked()
    {
        var (context, _) = Request("OPTIONS", "https://app.example.com", "PATCH");
        context.Request.Headers.AccessControlRequestHeaders = "x-a, x-b";

        Assert.True(CorsEnforcement.Apply(context, Policy with { AllowMethods = "*", AllowHeaders = "*" }));

        Assert.Equal(("PATCH", "x-a, x-b"), (context.Response.Headers.AccessControlAllowMethods.ToString(), context.Response.Headers.AccessControlAllowHeaders.ToString()));
    }
}
