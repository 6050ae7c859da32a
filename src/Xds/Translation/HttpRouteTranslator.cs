using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using Mesh.Config.Views.VirtualServices;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation;

/// <summary>One Istio <c>HTTPRoute</c> → Envoy routes for one listener port: one per applicable match entry, all
/// with the same action.</summary>
internal static class HttpRouteTranslator
{
    /// <summary>A VirtualService's <c>http</c> routes, in order; unnamed ones named by <see cref="RouteNames"/>.</summary>
    public static List<Route> Translate(IReadOnlyList<HttpRoute> routes, RouteContext context)
        => [.. routes.SelectMany((http, index) => Translate(http, RouteNames.Of(http, context.VirtualService, index), context))];

    public static IEnumerable<Route> Translate(HttpRoute http, string name, RouteContext context)
    {
        // delegate needs the delegate VirtualService, which the model does not carry: the route is left out.
        if (http.Delegate is not null) return [];
        var matches = Matches(http, context);
        if (matches.Count == 0) return [];
        if (Template(http, name, context) is not { } template) return [];
        return matches.Select(match =>
        {
            var route = template.Clone();
            route.Match = match;
            return route;
        }).ToList();
    }

    /// <summary>The match entries that apply to this port and to every client; none listed means all requests.</summary>
    private static List<RouteMatch> Matches(HttpRoute http, RouteContext context)
    {
        if (http.Match.Count == 0) return [MatchTranslator.CatchAll()];
        return http.Match
            .Where(m => m.Port is not { } p || p == context.Port)
            .Where(m => context.Binds(m.Gateways))
            // The same resources go to every client, so a match on the caller's labels or namespace cannot be honored.
            .Where(m => !m.NamesSource)
            .Select(MatchTranslator.Translate)
            .ToList();
    }

    private static Route? Template(HttpRoute http, string name, RouteContext context)
    {
        var route = new Route { Name = name };
        if (http.Route is null && context.Gateway is not null && LocalReplyTranslator.Apply(route, http))
        {
            HeaderOperationsTranslator.Apply(http.Headers.Response, route.ResponseHeadersToAdd, route.ResponseHeadersToRemove);
            return route;
        }
        var action = new RouteAction();
        if (http.Route is not null)
        {
            if (!DestinationTranslator.Apply(route, action, http, context)) return null;
        }
        else
        {
            // gRPC clients accept only forwarding routes (grpc-js NACKs the whole configuration otherwise), so a
            // redirect or direct response reaches them as a route that fails every request with its status.
            var status = http.DirectResponse?.Status ?? http.Redirect?.RedirectCode ?? HttpRedirect.DefaultCode;
            action.Cluster = XdsNames.Cluster(context.Port, "", context.Host);
            route.TypedPerFilterConfig[EnvoyFilters.Fault] = FaultTranslator.AbortAll((uint)status);
        }
        ApplyRewrite(action, http.Rewrite);
        if (ProtoValues.Duration(http.TimeoutNanos) is { } timeout)
        {
            // gRPC clients read max_stream_duration (gRFC A31); Envoy reads timeout.
            action.Timeout = timeout;
            action.MaxStreamDuration = new RouteAction.Types.MaxStreamDuration { MaxStreamDuration_ = timeout.Clone(), GrpcTimeoutHeaderMax = timeout.Clone() };
        }
        if (http.Retries is { } retries && RetryTranslator.Translate(retries) is { } retryPolicy) action.RetryPolicy = retryPolicy;
        DestinationTranslator.ApplyMirrors(action, http, context);
        route.Route_ = action;

        HeaderOperationsTranslator.Apply(http.Headers.Request, route.RequestHeadersToAdd, route.RequestHeadersToRemove);
        HeaderOperationsTranslator.Apply(http.Headers.Response, route.ResponseHeadersToAdd, route.ResponseHeadersToRemove);
        // A direct response's abort stays: it is the route's whole behavior.
        if (http.Fault is { } fault && http.Route is not null && FaultTranslator.Translate(fault) is { } faultConfig)
        {
            route.TypedPerFilterConfig[EnvoyFilters.Fault] = faultConfig;
        }
        if (http.CorsPolicy is { } cors) route.TypedPerFilterConfig[EnvoyFilters.Cors] = CorsTranslator.Translate(cors);
        return route;
    }

    private static void ApplyRewrite(RouteAction action, HttpRewrite? rewrite)
    {
        if (rewrite is null) return;
        if (rewrite.Uri is { } uri) action.PrefixRewrite = uri;
        if (rewrite.UriRegexRewrite is { } regex)
        {
            action.RegexRewrite = new RegexMatchAndSubstitute
            {
                Pattern = new RegexMatcher { Regex = regex.Match },
                Substitution = regex.Rewrite,
            };
        }
        if (rewrite.Authority is { } authority) action.HostRewriteLiteral = authority;
    }
}
