using Mesh.Integration.Tests.Infrastructure;
using static Mesh.Integration.Tests.GatewayApi.GatewayApiEdge;

namespace Mesh.Integration.Tests.GatewayApi;

/// <summary>The HTTPRoute filters (header modifiers, redirects, rewrites, mirrors, CORS), each test named after the upstream
/// conformance test it stands for.</summary>
[Collection(GatewayApiEdgeCollection.Name)]
public sealed class GatewayApiHttpFilterTests(GatewayApiEdge edge)
{
    [Fact]
    public async Task HTTPRouteRequestHeaderModifier()
    {
        await edge.Apply(Route(Shop, "request-headers", "request-headers.example.com", """
            - filters:
              - type: RequestHeaderModifier
                requestHeaderModifier:
                  set: [{name: X-Header-Set, value: set-overwrites-values}]
                  add: [{name: X-Header-Add, value: add-appends-values}]
                  remove: [X-Header-Remove]
              backendRefs: [{name: web-v1, port: 8080}]
            """));

        var reply = await edge.UntilAnswers("request-headers.example.com", "/", r => Backend(r) == "web-v1", "the route with header edits",
            options: ["-H", "X-Header-Set: some-other-value", "-H", "X-Header-Add: append-me", "-H", "X-Header-Remove: gone"]);
        var headers = Echo(reply)!["headers"]!;
        Assert.Equal("set-overwrites-values", headers["x-header-set"]?.GetValue<string>());
        Assert.Equal("append-me,add-appends-values", headers["x-header-add"]?.GetValue<string>()?.Replace(" ", ""));
        Assert.Null(headers["x-header-remove"]);
    }

    [Fact]
    public async Task HTTPRouteResponseHeaderModifier()
    {
        await edge.Apply(Route(Shop, "response-headers", "response-headers.example.com", """
            - filters:
              - type: ResponseHeaderModifier
                responseHeaderModifier:
                  set: [{name: X-Header-Set, value: set-value}]
                  add: [{name: X-Header-Add, value: add-value}]
                  remove: [Content-Type]
              backendRefs: [{name: web-v1, port: 8080}]
            """));

        var reply = await edge.UntilAnswers("response-headers.example.com", "/", r => r.Body.Contains("x-header-set: set-value", StringComparison.OrdinalIgnoreCase),
            "the response header edits", options: ["-D", "-"]);
        Assert.Contains("x-header-add: add-value", reply.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("content-type:", reply.Body, StringComparison.OrdinalIgnoreCase);
    }

    private Task ApplyRedirects() => edge.Apply(Route(Shop, "redirect", "redirect.example.com", """
        - matches: [{path: {type: PathPrefix, value: /scheme}}]
          filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]
        - matches: [{path: {type: PathPrefix, value: /path}}]
          filters: [{type: RequestRedirect, requestRedirect: {path: {type: ReplaceFullPath, replaceFullPath: /replaced}, statusCode: 302}}]
        - matches: [{path: {type: PathPrefix, value: /port}}]
          filters: [{type: RequestRedirect, requestRedirect: {port: 8083}}]
        - matches: [{path: {type: PathPrefix, value: /host}}]
          filters: [{type: RequestRedirect, requestRedirect: {hostname: example.org, statusCode: 301}}]
        """));

    private static string? Location(Curl.Reply reply) => reply.Body.Split('\n')
        .FirstOrDefault(l => l.StartsWith("location:", StringComparison.OrdinalIgnoreCase))?["location:".Length..].Trim();

    [Fact]
    public async Task HTTPRouteRedirectScheme()
    {
        await ApplyRedirects();
        var reply = await edge.UntilAnswers("redirect.example.com", "/scheme/a", r => r.Status == 302 || r.Status == 301, "the scheme redirect", options: ["-D", "-"]);
        Assert.Equal(302, reply.Status); // the API's default status code
        Assert.Equal("https://redirect.example.com/scheme/a", Location(reply));
    }

    [Fact]
    public async Task HTTPRouteRedirectPath()
    {
        await ApplyRedirects();
        var reply = await edge.UntilAnswers("redirect.example.com", "/path/a", r => r.Status == 302, "the path redirect", options: ["-D", "-"]);
        Assert.Equal($"http://redirect.example.com:{edge.Http}/replaced", Location(reply));
    }

    [Fact]
    public async Task HTTPRouteRedirectPort()
    {
        await ApplyRedirects();
        var reply = await edge.UntilAnswers("redirect.example.com", "/port/a", r => r.Status == 302, "the port redirect", options: ["-D", "-"]);
        Assert.Equal("http://redirect.example.com:8083/port/a", Location(reply));
    }

    [Fact]
    public async Task HTTPRouteRedirectHostAndStatus()
    {
        await ApplyRedirects();
        var reply = await edge.UntilAnswers("redirect.example.com", "/host/a", r => r.Status == 301, "the host redirect", options: ["-D", "-"]);
        Assert.Equal("http://example.org/host/a", Location(reply));
    }

    [Fact]
    public async Task HTTPRouteRewritePath()
    {
        await edge.Apply(Route(Shop, "rewrite", "rewrite.example.com", """
            - matches: [{path: {type: PathPrefix, value: /prefix/one}}]
              filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplacePrefixMatch, replacePrefixMatch: /one}}}]
              backendRefs: [{name: web-v1, port: 8080}]
            - matches: [{path: {type: PathPrefix, value: /full}}]
              filters: [{type: URLRewrite, urlRewrite: {path: {type: ReplaceFullPath, replaceFullPath: /one}}}]
              backendRefs: [{name: web-v1, port: 8080}]
            """));

        var reply = await edge.UntilAnswers("rewrite.example.com", "/prefix/one/two", r => r.Status == 200, "the prefix rewrite");
        Assert.Equal("/one/two", Echo(reply)!["path"]!.GetValue<string>());
        Assert.Equal("/one", Echo(await edge.Send("rewrite.example.com", "/prefix/one"))!["path"]!.GetValue<string>());
        Assert.Equal("/one", Echo(await edge.Send("rewrite.example.com", "/full/rest"))!["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task HTTPRouteRequestMirror()
    {
        await edge.Apply(Route(Shop, "mirror", "mirror.example.com", """
            - filters: [{type: RequestMirror, requestMirror: {backendRef: {name: mirror, port: 8080}}}]
              backendRefs: [{name: web-v1, port: 8080}]
            """));
        await edge.UntilAnswers("mirror.example.com", "/", r => Backend(r) == "web-v1", "the mirrored route");

        var before = await edge.Mirror.Requests();
        for (var i = 0; i < 5; i++) Assert.Equal("web-v1", Backend(await edge.Send("mirror.example.com", "/")));
        await Timeouts.Until(async () => await edge.Mirror.Requests() >= before + 5, TimeSpan.FromSeconds(10), "the mirror receiving a copy of each request");
    }

    /// <summary>The upstream test's first route (<c>cors-1</c>): exact and wildcard origins. A preflight from an allowed
    /// origin is answered by the gateway (Envoy's answer carries no expose-headers: those go on actual responses);
    /// another origin's preflight goes upstream, as Envoy forwards it by default, and gets no CORS headers.</summary>
    [Fact]
    public async Task HTTPRouteCORS()
    {
        await edge.Apply(Route(Shop, "cors", "cors.example.com", """
            - filters:
              - type: CORS
                cors:
                  allowOrigins: ["https://www.foo.com", "https://*.bar.com"]
                  allowMethods: [GET, OPTIONS]
                  allowHeaders: [x-header-1, x-header-2]
                  exposeHeaders: [x-header-3, x-header-4]
                  allowCredentials: true
                  maxAge: 3600
              backendRefs: [{name: web-v1, port: 8080}]
            """));
        string[] Preflight(string origin) => ["-X", "OPTIONS", "-D", "-", "-H", $"origin: {origin}", "-H", "access-control-request-method: GET",
            "-H", "access-control-request-headers: x-header-1, x-header-2"];

        var exact = await edge.UntilAnswers("cors.example.com", "/cors-1", r => r.Headers().ContainsKey("access-control-allow-origin"),
            "the preflight answered by the gateway", options: Preflight("https://www.foo.com"));
        Assert.Equal(200, exact.Status);
        var headers = exact.Headers();
        Assert.Equal("https://www.foo.com", headers["access-control-allow-origin"]);
        Assert.Equal("GET,OPTIONS", headers["access-control-allow-methods"].Replace(" ", ""));
        Assert.Equal("x-header-1,x-header-2", headers["access-control-allow-headers"].Replace(" ", ""));
        Assert.Equal("3600", headers["access-control-max-age"]);
        Assert.Equal("true", headers["access-control-allow-credentials"]);
        Assert.Null(Echo(exact)); // answered here: the backend never saw it

        foreach (var origin in new[] { "https://www.bar.com", "https://xpto.www.bar.com" })
        {
            Assert.Equal(origin, (await edge.Send("cors.example.com", "/cors-1", options: Preflight(origin))).Headers()["access-control-allow-origin"]);
        }

        var other = await edge.Send("cors.example.com", "/cors-1", options: Preflight("https://foobar.com"));
        Assert.False(other.Headers().ContainsKey("access-control-allow-origin"));
        Assert.Equal("web-v1", Backend(other));

        var simple = await edge.Send("cors.example.com", "/cors-1", options: ["-D", "-", "-H", "origin: https://www.foo.com"]);
        Assert.Equal(200, simple.Status);
        Assert.Equal("https://www.foo.com", simple.Headers()["access-control-allow-origin"]);
        Assert.Equal("x-header-3,x-header-4", simple.Headers()["access-control-expose-headers"].Replace(" ", ""));
        Assert.Equal("web-v1", Backend(simple));

        var foreign = await edge.Send("cors.example.com", "/cors-1", options: ["-D", "-", "-H", "origin: https://foobar.com"]);
        Assert.Equal(200, foreign.Status);
        Assert.False(foreign.Headers().ContainsKey("access-control-allow-origin"));
    }
}
