using Envoy.Config.Route.V3;
using Mesh.Sidecar.Config;

namespace Mesh.Sidecar.Tests.Config;

public sealed class ForwardActionCompilerTests
{
    [Fact]
    public void Weighted_clusters_timeout_retries_hashes_and_mirrors_are_kept()
    {
        var action = Compile("""
            {"weighted_clusters": {"clusters": [{"name": "v1", "weight": 90}, {"name": "v2", "weight": 10}]},
             "timeout": "3s",
             "retry_policy": {"retry_on": "5xx,reset", "num_retries": 2, "per_try_timeout": "1s", "retriable_status_codes": [503]},
             "hash_policy": [{"header": {"header_name": "X-User"}}, {"cookie": {"name": "session", "ttl": "60s", "path": "/"}, "terminal": true}],
             "request_mirror_policies": [{"cluster": "shadow", "runtime_fraction": {"default_value": {"numerator": 25}}}]}
            """, out var errors);

        Assert.Empty(errors);
        Assert.Equal([("v1", 90u), ("v2", 10u)], action!.Clusters.Select(c => (c.Name, c.Weight)));
        Assert.Equal(TimeSpan.FromSeconds(3), action.Timeout);
        Assert.Equal((2, TimeSpan.FromSeconds(1)), (action.Retry!.NumRetries, action.Retry.PerTryTimeout));
        Assert.Equal(["5xx", "reset"], action.Retry.RetryOn.Order());
        Assert.Equal(new HashPolicy(HashSource.Header, "x-user", null, null, false), action.HashPolicies[0]);
        Assert.Equal(new HashPolicy(HashSource.Cookie, "session", TimeSpan.FromSeconds(60), "/", true), action.HashPolicies[1]);
        Assert.Equal(new MirrorPolicy("shadow", new Fraction(25, 100)), Assert.Single(action.Mirrors));
    }

    [Fact]
    public void A_route_without_retries_gets_Istios_default()
        => Assert.Same(ForwardActionCompiler.IstioDefaultRetry, Compile("""{"cluster": "c"}""", out _)!.Retry);

    [Theory]
    [InlineData("""{"regex_rewrite": {"pattern": {"regex": "^/v1/(.*)$"}, "substitution": "/v2/\\1"}}""", "/v1/items", "/v2/items")]
    [InlineData("""{"regex_rewrite": {"pattern": {"regex": "a"}, "substitution": "$\\\\"}}""", "/a", "/$\\")]
    public void A_regex_rewrite_substitutes_as_Envoy_does(string rewrite, string path, string rewritten)
    {
        var action = Compile($$$"""{"cluster": "c", {{{rewrite[1..^1]}}}}""", out var errors);

        Assert.Empty(errors);
        Assert.Equal(rewritten, action!.RegexRewrite!.Replace(path, action.RegexSubstitution!));
    }

    [Theory]
    [InlineData("""{"cluster_header": "x-cluster"}""", "route: cluster specifier ClusterHeader is not supported (cluster or weighted_clusters)")]
    [InlineData("""{"weighted_clusters": {"clusters": []}}""", "route.weighted_clusters: no clusters")]
    [InlineData("""{"cluster": "c", "retry_policy": {"retry_on": "5xx,sometimes"}}""", "route.retry_policy.retry_on: \"sometimes\" is not a retry condition")]
    [InlineData("""{"cluster": "c", "hash_policy": [{"header": {"header_name": "x"}}, {"cookie": {"name": "a b"}}]}""", "route.hash_policy[1].cookie.name: ")]
    [InlineData("""{"cluster": "c", "hash_policy": [{"cookie": {"name": "s", "ttl": "-1s"}}]}""", "route.hash_policy[0].cookie.ttl: ")]
    [InlineData("""{"cluster": "c", "host_rewrite_literal": "a b"}""", "route.host_rewrite_literal: ")]
    [InlineData("""{"cluster": "c", "timeout": "-1s"}""", "route.timeout: ")]
    public void An_action_the_sidecar_cannot_run_is_refused_with_its_field_path(string json, string error)
    {
        Assert.Null(Compile(json, out var errors));
        Assert.StartsWith(error, Assert.Single(errors));
    }

    private static ForwardAction? Compile(string json, out List<string> errors)
    {
        errors = [];
        return ForwardActionCompiler.Compile(Resources.Parse<RouteAction>(json), "route", errors);
    }
}
