using Mesh.Sidecar.Proxy.Paths;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mesh.Sidecar.Tests.Proxy.Paths;

public sealed class RequestTargetTests
{
    private static DefaultHttpContext Request(string rawTarget, string kestrelPath)
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        context.Request.Path = kestrelPath;
        return context;
    }

    [Theory]
    [InlineData(@"/x\..\admin", @"/x\..\admin", "/admin")]
    [InlineData("/%2Fadmin", "/%2Fadmin", "/%2Fadmin")]
    [InlineData("/a%25b", "/a%b", "/a%25b")]
    [InlineData("/x/../admin?q=%2F", "/admin", "/admin")]
    [InlineData("http://web:9080/x/./admin?q", "/x/admin", "/x/admin")]
    [InlineData("http://web:9080?q", "/", "/")]
    public void The_path_is_read_from_the_target_as_sent_not_from_Kestrels_decoded_path(string target, string kestrelPath, string normalized)
    {
        var context = Request(target, kestrelPath);

        Assert.Equal(PathVerdict.Forward, RequestTarget.Normalize(context, PathNormalization.Base));
        Assert.Equal(normalized, context.Request.Path.Value);
    }

    [Fact]
    public void A_target_without_a_path_is_left_alone()
    {
        var context = Request("*", "/");

        Assert.Equal(PathVerdict.Forward, RequestTarget.Normalize(context, PathNormalization.Base));
        Assert.Equal("/", context.Request.Path.Value);
    }

    [Theory]
    [InlineData("/%2Fadmin", "?a=%2F", "http://127.0.0.1:8080/%2Fadmin?a=%2F")]
    [InlineData("/x/../admin", "", "http://127.0.0.1:8080/x/../admin")]
    [InlineData(@"/x\y", null, @"http://127.0.0.1:8080/x\y")]
    public void The_upstream_URI_carries_the_path_byte_for_byte(string path, string? query, string expected)
        => Assert.Equal(expected, RequestTarget.Upstream("http://127.0.0.1:8080/", path, query).OriginalString);

    [Fact]
    public void The_upstream_URI_sends_escapes_as_they_are()
        => Assert.Equal("/%2Fadmin%41?x=%2F", RequestTarget.Upstream("http://127.0.0.1:8080", "/%2Fadmin%41", "?x=%2F").PathAndQuery);
}
