using Mesh.Sidecar.Config;
using EnvoyRoute = Envoy.Config.Route.V3;

namespace Mesh.Sidecar.Tests.Config;

public sealed class RedirectCompilerTests
{
    [Fact]
    public void A_redirect_keeps_what_the_Location_header_needs()
    {
        var errors = new List<string>();

        var redirect = RedirectCompiler.Compile(Resources.Parse<EnvoyRoute.RedirectAction>("""
            {"https_redirect": true, "host_redirect": "new.example.com", "port_redirect": 8443, "path_redirect": "/v2", "response_code": "PERMANENT_REDIRECT", "strip_query": true}
            """), "redirect", errors);

        Assert.Empty(errors);
        Assert.Equal(new RedirectAction("https", "new.example.com", 8443, "/v2", null, 308, true), redirect);
    }

    [Theory]
    [InlineData("""{"regex_rewrite": {"pattern": {"regex": "a"}, "substitution": "b"}}""", "redirect.regex_rewrite: not supported in redirects (use path_redirect or prefix_rewrite)")]
    [InlineData("""{"host_redirect": "a\r\nb"}""", "redirect.host_redirect: ")]
    [InlineData("""{"path_redirect": "/a\nb"}""", "redirect.path_redirect: ")]
    public void A_redirect_that_cannot_be_written_is_refused_with_its_field_path(string json, string error)
    {
        var errors = new List<string>();

        Assert.Null(RedirectCompiler.Compile(Resources.Parse<EnvoyRoute.RedirectAction>(json), "redirect", errors));
        Assert.StartsWith(error, Assert.Single(errors));
    }
}
