using Mesh.Sidecar.Config;
using Mesh.Sidecar.Proxy;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Tests.Proxy;

public sealed class LocalReplyTests
{
    [Fact]
    public async Task A_reply_is_plain_text_with_its_flags_and_headers()
    {
        var context = Outbound.Request("web:80");
        context.Response.Headers["x-from-upstream"] = "stale";

        await LocalReply.Send(context, 503, "no healthy upstream", "UH", headers: new Dictionary<string, string> { ["x-envoy-overloaded"] = "true" });

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal("text/plain", context.Response.ContentType);
        Assert.Equal(19, context.Response.ContentLength);
        Assert.Equal("no healthy upstream", Outbound.Body(context));
        Assert.Equal("UH", context.Items[RequestItems.ResponseFlags]);
        Assert.Equal("true", context.Response.Headers["x-envoy-overloaded"]);
        Assert.False(context.Response.Headers.ContainsKey("x-from-upstream"));
    }

    [Theory]
    [InlineData(404, null, 12)]
    [InlineData(503, null, 14)]
    [InlineData(500, null, 2)]
    [InlineData(200, 8, 8)]
    public async Task A_gRPC_request_gets_a_trailers_only_status(int status, int? explicitGrpc, int grpc)
    {
        var context = Outbound.Request("web:80", "/shop.Cart/Add", "POST");
        context.Request.ContentType = "application/grpc";

        await LocalReply.Send(context, status, "denied", "NR", explicitGrpc);

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal(grpc.ToString(System.Globalization.CultureInfo.InvariantCulture), context.Response.Headers["grpc-status"]);
        Assert.Equal(grpc, context.Items[RequestItems.GrpcStatus]);
        Assert.Equal("", Outbound.Body(context));
    }

    [Theory]
    [InlineData(400, 13)]
    [InlineData(401, 16)]
    [InlineData(403, 7)]
    [InlineData(404, 12)]
    [InlineData(429, 14)]
    [InlineData(502, 14)]
    [InlineData(504, 14)]
    [InlineData(418, 2)]
    public void HTTP_statuses_map_to_gRPC_as_Envoy_maps_them(int status, int grpc) => Assert.Equal(grpc, LocalReply.GrpcStatusOf(status));

    [Theory]
    [InlineData(null, null, null, null, null, false, "http://web:8080/a/b?q=1")]
    [InlineData("https", null, null, null, null, false, "https://web/a/b?q=1")]
    [InlineData(null, "other", null, null, null, false, "http://other/a/b?q=1")]
    [InlineData(null, "other", 9000, null, null, false, "http://other:9000/a/b?q=1")]
    [InlineData(null, null, null, "/c", null, false, "http://web:8080/c?q=1")]
    [InlineData(null, null, null, "/c?x=2", null, false, "http://web:8080/c?x=2")]
    [InlineData(null, null, null, null, "/v2", false, "http://web:8080/v2/a/b?q=1")]
    [InlineData(null, null, null, null, null, true, "http://web:8080/a/b")]
    public void A_redirect_keeps_what_the_route_does_not_change(string? scheme, string? host, int? port, string? path, string? prefix, bool stripQuery, string location)
    {
        var context = Outbound.Request("web:8080", "/a/b?q=1");

        LocalReply.Redirect(context, new RedirectAction(scheme, host, port, path, prefix, 308, stripQuery));

        Assert.Equal(308, context.Response.StatusCode);
        Assert.Equal(location, context.Response.Headers.Location);
    }

    [Theory]
    [InlineData(200, "hello", "hello", "text/plain")]
    [InlineData(204, null, "", null)]
    public async Task A_direct_response_is_the_routes_status_and_body(int status, string? body, string written, string? contentType)
    {
        var context = Outbound.Request("web:80");

        await LocalReply.Direct(context, new DirectResponse(status, body));

        Assert.Equal(status, context.Response.StatusCode);
        Assert.Equal(written, Outbound.Body(context));
        Assert.Equal(contentType, context.Response.ContentType);
    }
}
