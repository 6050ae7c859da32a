using Mesh.Integration.Tests.Infrastructure;
using static Mesh.Integration.Tests.GatewayApi.GatewayApiEdge;

namespace Mesh.Integration.Tests.GatewayApi;

/// <summary>The HTTPRoute filters (header modifiers, redirects, rewrites, mirrors), each test named after the upstream
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
}
