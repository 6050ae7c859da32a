using static Mesh.Integration.Tests.GatewayApi.GatewayApiEdge;

namespace Mesh.Integration.Tests.GatewayApi;

/// <summary>The GATEWAY-HTTP conformance features of request matching and backend choice, each test named after the
/// upstream conformance test it stands for, run by curl through a real gateway configured with HTTPRoutes.</summary>
[Collection(GatewayApiEdgeCollection.Name)]
public sealed class GatewayApiHttpRoutingTests(GatewayApiEdge edge)
{
    [Fact]
    public async Task HTTPExactPathMatching()
    {
        await edge.Apply(Route(Shop, "exact", "exact.example.com", """
            - matches: [{path: {type: Exact, value: /one}}]
              backendRefs: [{name: web-v1, port: 8080}]
            - matches: [{path: {type: Exact, value: /two}}]
              backendRefs: [{name: web-v2, port: 8080}]
            """));

        await edge.UntilAnswers("exact.example.com", "/two", r => Backend(r) == "web-v2", "/two to web-v2");
        Assert.Equal("web-v1", Backend(await edge.Send("exact.example.com", "/one")));
        Assert.Equal(404, (await edge.Send("exact.example.com", "/one/extra")).Status);
        Assert.Equal(404, (await edge.Send("exact.example.com", "/three")).Status);
    }

    [Fact]
    public async Task HTTPRouteHeaderMatching()
    {
        await edge.Apply(Route(Shop, "headers", "headers.example.com", """
            - matches: [{headers: [{name: version, value: one}]}]
              backendRefs: [{name: web-v1, port: 8080}]
            - matches: [{headers: [{name: version, value: two}, {name: color, value: orange}]}]
              backendRefs: [{name: web-v2, port: 8080}]
            """));

        await edge.UntilAnswers("headers.example.com", "/", r => Backend(r) == "web-v1", "version: one to web-v1", options: ["-H", "version: one"]);
        Assert.Equal("web-v2", Backend(await edge.Send("headers.example.com", "/", options: ["-H", "Version: two", "-H", "color: orange"])));
        Assert.Equal(404, (await edge.Send("headers.example.com", "/", options: ["-H", "version: two"])).Status);
        Assert.Equal(404, (await edge.Send("headers.example.com", "/")).Status);
    }

    [Fact]
    public async Task HTTPRouteMatchingAcrossRoutes()
    {
        await edge.Apply(Route(Shop, "across-a", "across.example.com", """
            - matches: [{path: {type: PathPrefix, value: /}}]
              backendRefs: [{name: web-v1, port: 8080}]
            """) + Route(Shop, "across-b", "across.example.com", """
            - matches: [{path: {type: PathPrefix, value: /v2}}]
              backendRefs: [{name: web-v2, port: 8080}]
            - matches: [{path: {type: Exact, value: /exact}, headers: [{name: version, value: two}]}]
              backendRefs: [{name: web-v2, port: 8080}]
            """));

        // The longest path prefix wins across routes, then an exact path with a header over a bare prefix.
        await edge.UntilAnswers("across.example.com", "/v2/x", r => Backend(r) == "web-v2", "/v2/x to web-v2");
        Assert.Equal("web-v1", Backend(await edge.Send("across.example.com", "/v2x")));
        Assert.Equal("web-v1", Backend(await edge.Send("across.example.com", "/exact")));
        Assert.Equal("web-v2", Backend(await edge.Send("across.example.com", "/exact", options: ["-H", "version: two"])));
    }

    [Fact]
    public async Task HTTPRouteHostnameIntersection()
    {
        // Attached to the *.wildcard.io listener only: of its hostnames, those within the listener's are served.
        await edge.Apply(Route(Shop, "intersect", "foo.wildcard.io, other.example.org", """
            - backendRefs: [{name: web-v2, port: 8080}]
            """, parent: "{name: edge, namespace: edge, sectionName: wild}"));

        await edge.UntilAnswers("foo.wildcard.io", "/", r => Backend(r) == "web-v2", "foo.wildcard.io to web-v2");
        Assert.Equal(404, (await edge.Send("other.example.org", "/")).Status);
        Assert.Equal(404, (await edge.Send("bar.wildcard.io", "/")).Status);
    }

    [Fact]
    public async Task HTTPRouteWeight()
    {
        await edge.Apply(Route(Shop, "weight", "weight.example.com", """
            - backendRefs: [{name: web-v1, port: 8080, weight: 80}, {name: web-v2, port: 8080, weight: 20}]
            """));
        await edge.UntilAnswers("weight.example.com", "/", r => r.Status == 200, "the weighted route");

        var answers = new List<string?>();
        for (var i = 0; i < 200; i++) answers.Add(Backend(await edge.Send("weight.example.com", "/")));
        var v1 = answers.Count(a => a == "web-v1");
        Assert.Equal(200, v1 + answers.Count(a => a == "web-v2"));
        Assert.InRange(v1, 130, 190); // 160 expected; the binomial's standard deviation is under 6
    }

    [Fact]
    public async Task HTTPRouteMethodMatching()
    {
        await edge.Apply(Route(Shop, "method", "method.example.com", """
            - matches: [{method: POST}]
              backendRefs: [{name: web-v1, port: 8080}]
            - matches: [{method: GET}]
              backendRefs: [{name: web-v2, port: 8080}]
            """));

        await edge.UntilAnswers("method.example.com", "/", r => Backend(r) == "web-v2", "GET to web-v2");
        Assert.Equal("web-v1", Backend(await edge.Send("method.example.com", "/", options: ["-X", "POST"])));
        Assert.Equal(404, (await edge.Send("method.example.com", "/", options: ["-X", "DELETE"])).Status);
    }

    [Fact]
    public async Task HTTPRouteQueryParamMatching()
    {
        await edge.Apply(Route(Shop, "query", "query.example.com", """
            - matches: [{queryParams: [{name: animal, value: whale}]}]
              backendRefs: [{name: web-v1, port: 8080}]
            - matches: [{queryParams: [{name: animal, value: dolphin}, {name: color, value: blue}]}]
              backendRefs: [{name: web-v2, port: 8080}]
            """));

        await edge.UntilAnswers("query.example.com", "/?animal=whale", r => Backend(r) == "web-v1", "animal=whale to web-v1");
        Assert.Equal("web-v2", Backend(await edge.Send("query.example.com", "/?animal=dolphin&color=blue")));
        Assert.Equal(404, (await edge.Send("query.example.com", "/?animal=dolphin")).Status);
        Assert.Equal(404, (await edge.Send("query.example.com", "/")).Status);
    }

    [Fact]
    public async Task HTTPRouteTimeoutRequest()
    {
        await edge.Apply(Route(Shop, "timeout", "timeout.example.com", """
            - timeouts: {request: 500ms}
              backendRefs: [{name: web-v1, port: 8080}]
            """));

        await edge.UntilAnswers("timeout.example.com", "/delay/2000", r => r.Status == 504, "a request slower than the timeout answered 504");
        Assert.Equal(200, (await edge.Send("timeout.example.com", "/delay/10")).Status);
    }

    [Fact]
    public async Task HTTPRouteTimeoutBackendRequest()
    {
        await edge.Apply(Route(Shop, "backend-timeout", "backend-timeout.example.com", """
            - timeouts: {backendRequest: 500ms}
              backendRefs: [{name: web-v1, port: 8080}]
            """));

        await edge.UntilAnswers("backend-timeout.example.com", "/delay/2000", r => r.Status == 504, "a backend slower than the backend timeout answered 504");
        Assert.Equal(200, (await edge.Send("backend-timeout.example.com", "/delay/10")).Status);
    }
}
