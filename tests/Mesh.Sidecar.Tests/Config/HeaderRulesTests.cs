namespace Mesh.Sidecar.Tests.Config;

/// <summary>Header names and values in config follow Envoy's validate rules (envoy/config/core/v3/base.proto
/// HeaderValue and the route protos' *_headers_to_remove: HTTP_HEADER_NAME and HTTP_HEADER_VALUE, with the strict
/// RFC 7230 forms), so that a config that could split or inject a header is NACKed whole with its field path.</summary>
public sealed class HeaderRulesTests
{
    private const string Ok = """{"match": {"prefix": "/"}, "direct_response": {"status": 200}}""";

    public static TheoryData<string, string, string> BadHeaders => new()
    {
        // where in the route configuration, the JSON at that level, the field path the NACK names
        { "route", """ "request_headers_to_add": [{"header": {"key": "x-a", "value": "v\r\nX-Injected: 1"}}] """, "routes[0].request_headers_to_add[0].header.value" },
        { "route", """ "response_headers_to_add": [{"header": {"key": "x-a", "value": "v\nx"}}] """, "routes[0].response_headers_to_add[0].header.value" },
        { "route", """ "request_headers_to_add": [{"header": {"key": "x-a", "value": "v\u0000"}}] """, "routes[0].request_headers_to_add[0].header.value" },
        { "route", """ "request_headers_to_add": [{"header": {"key": "x a", "value": "v"}}] """, "routes[0].request_headers_to_add[0].header.key" },
        { "route", """ "request_headers_to_add": [{"header": {"key": "x-a\r\nx-b", "value": "v"}}] """, "routes[0].request_headers_to_add[0].header.key" },
        { "route", """ "request_headers_to_add": [{"header": {"key": "", "value": "v"}}] """, "routes[0].request_headers_to_add[0].header.key" },
        { "route", """ "request_headers_to_add": [{"header": {"key": ":path", "value": "/x"}}] """, "routes[0].request_headers_to_add[0].header.key" },
        { "route", """ "request_headers_to_remove": ["x-ok", "bad:name"] """, "routes[0].request_headers_to_remove[1]" },
        { "route", """ "response_headers_to_remove": ["x\n"] """, "routes[0].response_headers_to_remove[0]" },
        { "host", """ "request_headers_to_add": [{"header": {"key": "x-a", "value": "v\r\n"}}] """, "virtual_hosts[0].request_headers_to_add[0].header.value" },
        { "host", """ "response_headers_to_add": [{"header": {"key": "x-a", "value": "\u0001"}}] """, "virtual_hosts[0].response_headers_to_add[0].header.value" },
        { "host", """ "response_headers_to_remove": ["x y"] """, "virtual_hosts[0].response_headers_to_remove[0]" },
        { "cluster", """ "request_headers_to_add": [{"header": {"key": "x-a", "value": "v\rx"}}] """, "route.weighted_clusters.clusters[0].request_headers_to_add[0].header.value" },
        { "cluster", """ "response_headers_to_add": [{"header": {"key": "x(a)", "value": "v"}}] """, "route.weighted_clusters.clusters[0].response_headers_to_add[0].header.key" },
        { "rewrite", """ "host_rewrite_literal": "a\r\nb" """, "route.host_rewrite_literal" },
        { "rewrite", """ "prefix_rewrite": "/a\nb" """, "route.prefix_rewrite" },
        // .NET's Host header would throw on every request: refused at compile time instead.
        { "rewrite", """ "host_rewrite_literal": "a/b" """, "route.host_rewrite_literal" },
        // The cookie's name and path go into Set-Cookie.
        { "rewrite", """ "hash_policy": [{"cookie": {"name": "a b"}}] """, "route.hash_policy[0].cookie.name" },
        { "rewrite", """ "hash_policy": [{"cookie": {"name": "c", "path": "/;x"}}] """, "route.hash_policy[0].cookie.path" },
        { "redirect", """ "host_redirect": "a\r\nSet-Cookie: x" """, "redirect.host_redirect" },
        { "redirect", """ "path_redirect": "/a\nb" """, "redirect.path_redirect" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void A_header_that_could_split_or_inject_is_refused_with_its_field_path(string level, string json, string field)
    {
        var (model, errors) = level switch
        {
            "host" => Resources.Routes(Ok, "," + json),
            "route" => Resources.Routes("""{"match": {"prefix": "/"}, "direct_response": {"status": 200}, """ + json + "}"),
            "cluster" => Resources.Routes("""{"match": {"prefix": "/"}, "route": {"weighted_clusters": {"clusters": [{"name": "c", "weight": 1, """ + json + "}]}}}"),
            "rewrite" => Resources.Routes("""{"match": {"prefix": "/"}, "route": {"cluster": "c", """ + json + "}}"),
            _ => Resources.Routes("""{"match": {"prefix": "/"}, "redirect": {""" + json + "}}"),
        };

        Assert.Null(model);
        var error = Assert.Single(errors);
        Assert.Contains($"RouteConfiguration r: virtual_hosts[0].", error);
        Assert.Contains(field + ":", error);
        Assert.DoesNotContain('\n', error);
        Assert.DoesNotContain('\r', error);
    }

    [Theory]
    [InlineData("x-mesh-a", "v")]
    [InlineData("X-Upper", "a value, with spaces\tand a tab")]
    [InlineData("x!#$%&'*+-.^_`|~1", "")]
    public void Valid_headers_compile(string name, string value)
    {
        var route = Resources.Route($$$"""
            {"match": {"prefix": "/"}, "direct_response": {"status": 200},
             "request_headers_to_add": [{"header": {"key": "{{{name}}}", "value": "{{{value.Replace("\t", "\\t")}}}"}}]}
            """);

        Assert.Equal(name.ToLowerInvariant(), route.Headers.RequestAdd.Single().Name);
        Assert.Equal(value, route.Headers.RequestAdd.Single().Value);
    }
}
