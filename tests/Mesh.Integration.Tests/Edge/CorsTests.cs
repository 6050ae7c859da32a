using Mesh.Integration.Tests.Infrastructure;

namespace Mesh.Integration.Tests.Edge;

/// <summary>A VirtualService's corsPolicy at the gateway, tried with curl as a browser would send it: a preflight
/// from an allowed origin is answered by the gateway, other requests reach the upstream.</summary>
[Collection(IstioEdgeCollection.Name)]
public sealed class CorsTests(IstioEdge edge)
{
    private const string Host = "cors.example.com";

    [Fact]
    public async Task Preflight_FromAnAllowedOrigin_IsAnsweredByTheGateway()
    {
        var reply = await edge.Send(Host, edge.Http, "/", false, "-X", "OPTIONS", "-D", "-",
            "-H", "origin: https://app.example.com", "-H", "access-control-request-method: POST");

        Assert.Equal(200, reply.Status);
        var headers = reply.Headers();
        Assert.Equal("https://app.example.com", headers["access-control-allow-origin"]);
        Assert.Equal("GET,POST", headers["access-control-allow-methods"]);
        Assert.Equal("x-token", headers["access-control-allow-headers"]);
        Assert.Equal("600", headers["access-control-max-age"]);
        Assert.Equal("true", headers["access-control-allow-credentials"]);
        Assert.DoesNotContain("\"version\"", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_FromAnotherOrigin_GoesUpstream_WithoutCorsHeaders()
    {
        var reply = await edge.Send(Host, edge.Http, "/", false, "-X", "OPTIONS", "-D", "-",
            "-H", "origin: https://evil.example.com", "-H", "access-control-request-method: POST");

        Assert.False(reply.Headers().ContainsKey("access-control-allow-origin"));
        Assert.Contains("\"version\"", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActualRequest_FromAnAllowedOrigin_GetsAllowOriginOnTheUpstreamsResponse()
    {
        var reply = await edge.Send(Host, edge.Http, "/", false, "-D", "-", "-H", "origin: https://app.example.com");

        Assert.Equal(200, reply.Status);
        var headers = reply.Headers();
        Assert.Equal("https://app.example.com", headers["access-control-allow-origin"]);
        Assert.Equal("x-trace", headers["access-control-expose-headers"]);
        Assert.Contains("\"version\"", reply.Body, StringComparison.Ordinal);
    }
}
