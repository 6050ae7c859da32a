using Envoy.Config.Route.V3;
using Mesh.Sidecar.Matching;
using Mesh.Sidecar.Tests.Config;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Tests.Matching;

/// <summary>The path and query-parameter conditions of Envoy's RouteMatch, shared by routes and jwt_authn rules.</summary>
public sealed class PathAndQueryMatchTests
{
    [Theory]
    [InlineData("""{"prefix": "/api"}""", "/api/items", true)]
    [InlineData("""{"prefix": "/api"}""", "/API/items", false)]
    [InlineData("""{"prefix": "/API", "case_sensitive": false}""", "/api/items", true)]
    [InlineData("""{"prefix": "/\u00c9", "case_sensitive": false}""", "/\u00e9", false)]
    [InlineData("""{"path": "/api"}""", "/api", true)]
    [InlineData("""{"path": "/api"}""", "/api/", false)]
    [InlineData("""{"path_separated_prefix": "/api"}""", "/api", true)]
    [InlineData("""{"path_separated_prefix": "/api"}""", "/api/x", true)]
    [InlineData("""{"path_separated_prefix": "/api"}""", "/apix", false)]
    [InlineData("""{"safe_regex": {"regex": "/v[0-9]+/.*"}}""", "/v1/items", true)]
    [InlineData("""{"safe_regex": {"regex": "/v[0-9]+"}}""", "/v1/items", false)]
    // Envoy ignores case_sensitive for a regex.
    [InlineData("""{"safe_regex": {"regex": "/v1"}, "case_sensitive": false}""", "/V1", false)]
    public void A_path_condition_follows_Envoys_rules(string match, string path, bool matches)
        => Assert.Equal(matches, PathMatch.Compile(Resources.Parse<RouteMatch>(match), "match").Matches(path));

    [Theory]
    [InlineData("""{"safe_regex": {"regex": "a)|(b"}}""", "match.safe_regex.regex: ")]
    [InlineData("""{"connect_matcher": {}}""", "match: path specifier ConnectMatcher is not supported")]
    public void A_path_condition_Envoy_refuses_is_refused_with_its_field_path(string match, string error)
        => Assert.StartsWith(error, Assert.Throws<MatcherConfigException>(() => PathMatch.Compile(Resources.Parse<RouteMatch>(match), "match")).Message);

    [Theory]
    // Only the first value of a repeated parameter counts.
    [InlineData("""{"name": "q", "string_match": {"exact": "1"}}""", "?q=1&q=2", true)]
    [InlineData("""{"name": "q", "string_match": {"exact": "2"}}""", "?q=1&q=2", false)]
    [InlineData("""{"name": "q", "string_match": {"exact": ""}}""", "?q", true)]
    [InlineData("""{"name": "q", "present_match": true}""", "?q=", true)]
    [InlineData("""{"name": "q"}""", "?q=1", true)]
    [InlineData("""{"name": "q", "present_match": true}""", "?p=1", false)]
    [InlineData("""{"name": "q", "string_match": {"prefix": "A", "ignore_case": true}}""", "?q=abc", true)]
    public void A_query_condition_follows_Envoys_rules(string matcher, string query, bool matches)
        => Assert.Equal(matches, QueryMatch.Compile(Resources.Parse<QueryParameterMatcher>(matcher), "q").Matches(new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query))));

    [Fact]
    public void A_query_condition_needs_a_name()
        => Assert.Equal("q.name: must not be empty", Assert.Throws<MatcherConfigException>(() => QueryMatch.Compile(new QueryParameterMatcher { PresentMatch = true }, "q")).Message);
}
