using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Tests.Config;

/// <summary>A route's match, compiled from Envoy's JSON and asked about one request: the edges where routes once
/// differed from the security matchers now follow Envoy.</summary>
public sealed class RouteMatcherTests
{
    [Theory]
    [InlineData("a)|(b", "xb")]
    [InlineData("a)|(b", "a-anything")]
    public void A_route_regex_cannot_escape_its_anchoring(string pattern, string path)
    {
        var (model, errors) = Resources.Routes($$$"""{"match": {"safe_regex": {"regex": "{{{pattern}}}"}}, "direct_response": {"status": 200}}""");

        // Anchored as ^(?:a)|(b)$, the pattern would match both paths; RE2 parses it alone and refuses it.
        Assert.Matches(new System.Text.RegularExpressions.Regex($"^(?:{pattern})$"), path);
        Assert.Null(model);
        Assert.StartsWith("RouteConfiguration r: virtual_hosts[0].routes[0].match.safe_regex.regex: ", Assert.Single(errors));
    }

    [Theory]
    [InlineData("/r/ab", "/r/a.", true)]
    [InlineData("/r/ab/c", "/r/a.", false)]
    [InlineData("/x/r/ab", "/r/a.", false)]
    public void A_route_regex_matches_the_whole_path(string path, string pattern, bool matches)
        => Assert.Equal(matches, Matches($$$"""{"safe_regex": {"regex": "{{{pattern}}}"}}""", Request(path)));

    [Theory]
    // Envoy: an absent header never matches a value matcher, inverted or not (was: inverted matched).
    [InlineData("""{"name": "x-none", "exact_match": "a", "invert_match": true}""", false)]
    [InlineData("""{"name": "x-none", "string_match": {"exact": "a"}, "invert_match": true}""", false)]
    // ... unless treat_missing_header_as_empty makes it "" (was: ignored).
    [InlineData("""{"name": "x-none", "string_match": {"exact": "a"}, "invert_match": true, "treat_missing_header_as_empty": true}""", true)]
    [InlineData("""{"name": "x-none", "string_match": {"exact": ""}, "treat_missing_header_as_empty": true}""", true)]
    // Envoy's legacy exact_match "" matches any value (was: only an empty one).
    [InlineData("""{"name": "x-user", "exact_match": ""}""", true)]
    // ignore_case folds ASCII only (was: .NET's Unicode folding, where é is É).
    [InlineData("""{"name": "x-user", "string_match": {"exact": "ALICE", "ignore_case": true}}""", true)]
    [InlineData("""{"name": "x-accented", "string_match": {"exact": "\u00e9", "ignore_case": true}}""", false)]
    // A range needs the whole value to be an integer (was: surrounding spaces were allowed).
    [InlineData("""{"name": "x-spaced", "range_match": {"start": 0, "end": 100}}""", false)]
    [InlineData("""{"name": "x-number", "range_match": {"start": 40, "end": 50}}""", true)]
    // Envoy keeps Host as :authority only (was: a "host" matcher read the Host header).
    [InlineData("""{"name": "host", "present_match": true}""", false)]
    [InlineData("""{"name": ":authority", "exact_match": "api.example.com"}""", true)]
    [InlineData("""{"name": "x-multi", "exact_match": "a,b"}""", true)]
    [InlineData("""{"name": "x-none", "present_match": false}""", true)]
    public void A_header_condition_follows_Envoys_rules(string header, bool matches)
        => Assert.Equal(matches, Matches($$$"""{"prefix": "/", "headers": [{{{header}}}]}""", Request("/")));

    [Theory]
    // Envoy reads the first value of a repeated parameter only (was: any value).
    [InlineData("""{"name": "q", "string_match": {"exact": "2"}}""", false)]
    [InlineData("""{"name": "q", "string_match": {"exact": "1"}}""", true)]
    [InlineData("""{"name": "q", "present_match": true}""", true)]
    [InlineData("""{"name": "none", "present_match": true}""", false)]
    public void A_query_condition_follows_Envoys_rules(string query, bool matches)
        => Assert.Equal(matches, Matches($$$"""{"prefix": "/", "query_parameters": [{{{query}}}]}""", Request("/", "?q=1&q=2")));

    [Theory]
    [InlineData("""{"prefix": "/API", "case_sensitive": false}""", "/api/x", true)]
    // case_sensitive: false folds ASCII only (was: .NET's Unicode folding, where É matched é).
    [InlineData("""{"prefix": "/\u00e9", "case_sensitive": false}""", "/\u00c9", false)]
    [InlineData("""{"path_separated_prefix": "/api"}""", "/api/x", true)]
    [InlineData("""{"path_separated_prefix": "/api"}""", "/apix", false)]
    [InlineData("""{"path": "/api"}""", "/api", true)]
    public void A_path_condition_follows_Envoys_rules(string match, string path, bool matches)
        => Assert.Equal(matches, Matches(match, Request(path)));

    [Theory]
    [InlineData("""{"prefix": "/", "headers": [{"name": "x", "prefix_match": ""}]}""", "match.headers[0].prefix_match: must not be empty")]
    [InlineData("""{"prefix": "/", "headers": [{"name": "", "present_match": true}]}""", "match.headers[0].name: must not be empty")]
    [InlineData("""{"prefix": "/", "query_parameters": [{"name": "q", "string_match": {"suffix": ""}}]}""", "match.query_parameters[0].string_match.suffix: must not be empty")]
    public void An_empty_matcher_Envoy_refuses_is_refused_with_its_field_path(string match, string error)
    {
        var (model, errors) = Resources.Routes($$$"""{"match": {{{match}}}, "direct_response": {"status": 200}}""");

        Assert.Null(model);
        Assert.Equal($"RouteConfiguration r: virtual_hosts[0].routes[0].{error}", Assert.Single(errors));
    }

    private static bool Matches(string match, HttpRequest request)
    {
        var route = Resources.Route($$$"""{"match": {{{match}}}, "direct_response": {"status": 200}}""");
        return route.Match.Matches(request, request.Path.Value!, 0.5);
    }

    private static HttpRequest Request(string path, string query = "")
    {
        var request = new DefaultHttpContext().Request;
        request.Method = "GET";
        request.Host = new HostString("api.example.com");
        request.Path = path;
        request.QueryString = new QueryString(query);
        request.Headers["x-user"] = "alice";
        request.Headers["x-number"] = "42";
        request.Headers["x-spaced"] = " 42 ";
        request.Headers["x-accented"] = "\u00c9";
        request.Headers["x-multi"] = new[] { "a", "b" };
        return request;
    }
}
