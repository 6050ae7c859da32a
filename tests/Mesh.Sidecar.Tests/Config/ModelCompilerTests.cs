using System.Text.RegularExpressions;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Proxy.Paths;
using Mesh.Xds.Resources;
using EscapedSlashes = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpConnectionManager.Types.PathWithEscapedSlashesAction;

namespace Mesh.Sidecar.Tests.Config;

public sealed class ModelCompilerTests
{
    [Fact]
    public void Every_regex_of_a_route_runs_on_the_linear_engine()
    {
        var route = Resources.Route("""
            {"match": {"safe_regex": {"regex": "/r/(a+)+"}, "headers": [{"name": "x-a", "safe_regex_match": {"regex": "(b+)+"}}],
                       "query_parameters": [{"name": "q", "string_match": {"safe_regex": {"regex": "(c+)+"}}}]},
             "route": {"cluster": "c", "regex_rewrite": {"pattern": {"regex": "^/r/(a+)+$"}, "substitution": "/x/\\1$"}}}
            """);

        Regex[] regexes = [route.Match.Path.Regex!, route.Match.Headers.Single().Value!.Regex!, route.Match.Query.Single().Value!.Regex!, route.Forward!.RegexRewrite!];
        Assert.All(regexes, regex => Assert.True(regex.Options.HasFlag(RegexOptions.NonBacktracking)));
        Assert.Equal("/x/aa$", route.Forward.RegexRewrite!.Replace("/r/aa", route.Forward.RegexSubstitution!));
    }

    [Theory]
    [InlineData("""{"match": {"safe_regex": {"regex": "a{1001}"}}, "direct_response": {"status": 200}}""", "routes[0].match.safe_regex.regex: invalid regex \"a{1001}\": bad repetition operator {1001}")]
    [InlineData("""{"match": {"prefix": "/", "headers": [{"name": "x", "safe_regex_match": {"regex": "(?=a)"}}]}, "direct_response": {"status": 200}}""", "routes[0].match.headers[0].safe_regex_match.regex: invalid regex \"(?=a)\": RE2 does not support lookahead")]
    [InlineData("""{"match": {"prefix": "/"}, "route": {"cluster": "c", "regex_rewrite": {"pattern": {"regex": "(a)\\1"}, "substitution": ""}}}""", "routes[0].route.regex_rewrite.pattern.regex: invalid regex \"(a)\\1\": RE2 does not support backreferences")]
    public void A_regex_the_engine_cannot_run_is_refused_with_its_field_path(string route, string error)
    {
        var (model, errors) = Resources.Routes(route);

        Assert.Null(model);
        Assert.Contains(error, Assert.Single(errors));
    }

    [Fact]
    public void A_listener_carries_its_path_normalization()
    {
        var manager = new HttpConnectionManager
        {
            Rds = new Rds { RouteConfigName = "r" },
            NormalizePath = true,
            MergeSlashes = true,
            PathWithEscapedSlashesAction = EscapedSlashes.UnescapeAndForward,
        };
        var listener = new Listener { Name = "web:80", ApiListener = new ApiListener { ApiListener_ = Any.Pack(manager) } };

        var (model, errors) = Resources.Compile(TypeUrls.Listener, listener.Name, listener);

        Assert.Empty(errors);
        Assert.Equal(new PathNormalization(true, true, EscapedSlashes.UnescapeAndForward), model!.Listeners["web:80"].Paths);
    }

    [Fact]
    public void The_inbound_listener_carries_its_path_normalization_and_trusted_hops()
    {
        var manager = new HttpConnectionManager { RouteConfig = new Envoy.Config.Route.V3.RouteConfiguration(), NormalizePath = true, UseRemoteAddress = true, XffNumTrustedHops = 2 };
        var listener = new Listener
        {
            Name = InboundListenerName.Of("shop", "web"),
            FilterChains = { new FilterChain { Filters = { new Filter { Name = "envoy.filters.network.http_connection_manager", TypedConfig = Any.Pack(manager) } } } },
        };

        var (model, errors) = Resources.Compile(TypeUrls.Listener, listener.Name, listener);

        Assert.Empty(errors);
        Assert.Equal(PathNormalization.Base, model!.Inbound!.Paths);
        Assert.Equal(new Mesh.Sidecar.Security.ClientAddress(true, 2), model.Inbound.ClientAddress);
    }
}
