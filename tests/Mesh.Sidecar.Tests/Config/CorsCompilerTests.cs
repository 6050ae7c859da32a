namespace Mesh.Sidecar.Tests.Config;

public sealed class CorsCompilerTests
{
    /// <summary>A route with a CORS policy as the translator writes it: in an optional FilterConfig.</summary>
    public static string Route(string policy, string action = """{"cluster": "c"}""") => $$$"""
        {"name": "web", "match": {"prefix": "/"}, "route": {{{action}}},
         "typed_per_filter_config": {"envoy.filters.http.cors": {"@type": "type.googleapis.com/envoy.config.route.v3.FilterConfig", "is_optional": true,
           "config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy", {{{policy}}}
        """ + "}}}}";

    public const string Policy = """
        "allow_origin_string_match": [{"exact": "https://app.example.com"}, {"suffix": ".trusted.dev", "ignore_case": true}],
        "allow_methods": "GET,POST", "allow_headers": "x-token", "expose_headers": "x-trace", "max_age": "600", "allow_credentials": true
        """;

    [Fact]
    public void A_routes_policy_compiles_its_origins_methods_headers_max_age_and_credentials()
    {
        var cors = Resources.Route(Route(Policy)).Cors!;

        Assert.True(cors.Allows("https://app.example.com"));
        Assert.True(cors.Allows("https://a.TRUSTED.dev"));
        Assert.False(cors.Allows("https://evil.example.com"));
        Assert.Equal(("GET,POST", "x-token", "x-trace", "600", true), (cors.AllowMethods, cors.AllowHeaders, cors.ExposeHeaders, cors.MaxAge, cors.AllowCredentials));
        Assert.True(cors.ForwardNotMatchingPreflights);
    }

    [Fact]
    public void A_route_without_a_policy_has_none_and_empty_fields_are_absent()
    {
        Assert.Null(Resources.Route("""{"match": {"prefix": "/"}, "route": {"cluster": "c"}}""").Cors);

        var cors = Resources.Route(Route("""  "allow_origin_string_match": [{"exact": "*"}]  """)).Cors!;

        Assert.True(cors.Allows("https://anyone.example"));
        Assert.Equal((null, null, null, null, false), (cors.AllowMethods, cors.AllowHeaders, cors.ExposeHeaders, cors.MaxAge, cors.AllowCredentials));
    }

    [Theory]
    [InlineData(""" "allow_origin_string_match": [{"prefix": ""}] """, "allow_origin_string_match[0].prefix")]
    [InlineData(""" "shadow_enabled": {"default_value": {"numerator": 100}} """, ".shadow_enabled: shadow mode is not supported")]
    public void What_the_sidecar_cannot_enforce_is_refused_with_its_field_path(string policy, string error)
    {
        var (_, errors) = Resources.Routes(Route(policy));

        Assert.Contains(errors, e => e.Contains("typed_per_filter_config[envoy.filters.http.cors].config") && e.Contains(error));
    }

    [Fact]
    public void A_virtual_hosts_policy_is_refused_rather_than_ignored()
    {
        var (_, errors) = Resources.Routes("""{"match": {"prefix": "/"}, "route": {"cluster": "c"}}""", """
            , "typed_per_filter_config": {"envoy.filters.http.cors": {"@type": "type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy"}}
            """);

        Assert.Contains(errors, e => e.Contains("virtual_hosts[0].typed_per_filter_config[envoy.filters.http.cors]: a CORS policy is supported only on a route"));
    }
}
