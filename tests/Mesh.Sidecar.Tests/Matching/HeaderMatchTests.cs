using Envoy.Config.Route.V3;
using Mesh.Sidecar.Matching;
using Mesh.Sidecar.Tests.Config;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Tests.Matching;

/// <summary>Envoy's HeaderMatcher at its edges, on a header value as Envoy sees it (null when absent). Routes, jwt_authn
/// rules and RBAC all match headers with this one type.</summary>
public sealed class HeaderMatchTests
{
    [Theory]
    // An absent header matches no value condition, inverted or not...
    [InlineData("""{"name": "x", "string_match": {"exact": "a"}}""", null, false)]
    [InlineData("""{"name": "x", "string_match": {"exact": "a"}, "invert_match": true}""", null, false)]
    [InlineData("""{"name": "x", "range_match": {"start": 0, "end": 10}, "invert_match": true}""", null, false)]
    [InlineData("""{"name": "x", "string_match": {"safe_regex": {"regex": "^$"}}}""", null, false)]
    // ... unless treat_missing_header_as_empty makes it "" (Envoy's own examples).
    [InlineData("""{"name": "x", "range_match": {"start": 0, "end": 10}, "invert_match": true, "treat_missing_header_as_empty": true}""", null, true)]
    [InlineData("""{"name": "x", "string_match": {"safe_regex": {"regex": "^$"}}, "treat_missing_header_as_empty": true}""", null, true)]
    [InlineData("""{"name": "x", "string_match": {"exact": ""}, "treat_missing_header_as_empty": true}""", null, true)]
    // present_match compares presence, inverted if asked, and ignores treat_missing_header_as_empty.
    [InlineData("""{"name": "x", "present_match": true}""", null, false)]
    [InlineData("""{"name": "x", "present_match": true, "treat_missing_header_as_empty": true}""", null, false)]
    [InlineData("""{"name": "x", "present_match": false}""", null, true)]
    [InlineData("""{"name": "x", "present_match": false}""", "", false)]
    [InlineData("""{"name": "x", "present_match": true, "invert_match": true}""", null, true)]
    [InlineData("""{"name": "x"}""", "", true)]
    // An empty value is a value.
    [InlineData("""{"name": "x", "string_match": {"exact": ""}}""", "", true)]
    [InlineData("""{"name": "x", "string_match": {"exact": ""}}""", "a", false)]
    // The legacy exact_match "" matches any value.
    [InlineData("""{"name": "x", "exact_match": ""}""", "anything", true)]
    [InlineData("""{"name": "x", "exact_match": "a"}""", "A", false)]
    // ignore_case folds ASCII only.
    [InlineData("""{"name": "x", "string_match": {"prefix": "AB", "ignore_case": true}}""", "abc", true)]
    [InlineData("""{"name": "x", "string_match": {"exact": "\u00e9", "ignore_case": true}}""", "\u00c9", false)]
    // A regex matches the whole value; ignore_case does not apply to it.
    [InlineData("""{"name": "x", "safe_regex_match": {"regex": "b"}}""", "abc", false)]
    [InlineData("""{"name": "x", "string_match": {"safe_regex": {"regex": "a.c"}, "ignore_case": true}}""", "ABC", false)]
    // A range needs the whole value to be a base-10 integer; the end is exclusive.
    [InlineData("""{"name": "x", "range_match": {"start": -10, "end": 0}}""", "-1", true)]
    [InlineData("""{"name": "x", "range_match": {"start": -10, "end": 0}}""", "0", false)]
    [InlineData("""{"name": "x", "range_match": {"start": -10, "end": 0}}""", "-1somestring", false)]
    [InlineData("""{"name": "x", "range_match": {"start": 0, "end": 100}}""", " 42", false)]
    [InlineData("""{"name": "x", "range_match": {"start": 0, "end": 100}}""", "10.9", false)]
    public void A_header_matcher_follows_Envoys_rules(string matcher, string? value, bool matches)
        => Assert.Equal(matches, HeaderMatch.Compile(Resources.Parse<HeaderMatcher>(matcher), "m").Matches(value));

    [Theory]
    [InlineData("""{"name": "", "present_match": true}""", "m.name: must not be empty")]
    [InlineData("""{"name": "x", "prefix_match": ""}""", "m.prefix_match: must not be empty")]
    [InlineData("""{"name": "x", "suffix_match": ""}""", "m.suffix_match: must not be empty")]
    [InlineData("""{"name": "x", "contains_match": ""}""", "m.contains_match: must not be empty")]
    [InlineData("""{"name": "x", "string_match": {"prefix": ""}}""", "m.string_match.prefix: must not be empty")]
    [InlineData("""{"name": "x", "safe_regex_match": {"regex": "(a"}}""", "m.safe_regex_match.regex: ")]
    public void A_matcher_Envoy_refuses_is_refused_with_its_field_path(string matcher, string error)
    {
        var refusal = Assert.Throws<MatcherConfigException>(() => HeaderMatch.Compile(Resources.Parse<HeaderMatcher>(matcher), "m"));

        Assert.StartsWith(error, refusal.Message);
    }

    [Fact]
    public void Repeated_headers_are_joined_with_commas_and_host_is_only_authority()
    {
        var request = new DefaultHttpContext().Request;
        request.Headers["x-multi"] = new[] { "a", "b" };
        request.Headers.Host = "api.example.com";
        request.Headers["x-empty"] = "";

        Assert.Equal(("a,b", null, "", null, "api.example.com"), (HeaderMatch.ValueOf(request, "x-multi"), HeaderMatch.ValueOf(request, "host"),
            HeaderMatch.ValueOf(request, "x-empty"), HeaderMatch.ValueOf(request, "x-none"), HeaderMatch.ValueOf(request, ":authority")));
    }

    [Theory]
    [InlineData(":method", "POST")]
    [InlineData(":authority", "api.example.com:8080")]
    [InlineData(":path", "/v1/a%2Fb?page=2")]
    [InlineData(":scheme", "https")]
    [InlineData(":status", null)]
    public void Pseudo_headers_come_from_the_request_line(string name, string? value)
    {
        var request = new DefaultHttpContext().Request;
        request.Method = "POST";
        request.Scheme = "https";
        request.Host = new HostString("api.example.com:8080");
        request.Path = new PathString("/v1/a%2Fb");
        request.QueryString = new QueryString("?page=2");

        Assert.Equal(value, HeaderMatch.ValueOf(request, name));
    }

    [Fact]
    public void An_empty_path_is_the_root_path()
    {
        var request = new DefaultHttpContext().Request;

        Assert.Equal("/", HeaderMatch.ValueOf(request, ":path"));
    }
}
