using System.Text.Json.Nodes;
using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation;

/// <summary>One Istio <c>HTTPRoute</c> → Envoy routes for one listener port: one per applicable match entry, all
/// with the same action.</summary>
internal static class HttpRouteTranslator
{
    private const uint DefaultRedirectCode = 301;

    public static IEnumerable<Route> Translate(JsonObject http, RouteContext context)
    {
        // delegate needs the delegate VirtualService, which the model does not carry: the route is left out.
        if (http["delegate"] is not null) return [];
        var matches = Matches(http, context.Port);
        if (matches.Count == 0) return [];
        if (Template(http, context) is not { } template) return [];
        return matches.Select(match =>
        {
            var route = template.Clone();
            route.Match = match;
            return route;
        }).ToList();
    }

    /// <summary>The match entries that apply to this port and to every client; none listed means all requests.</summary>
    private static List<RouteMatch> Matches(JsonObject http, int port)
    {
        var entries = http.Objects("match").ToList();
        if (entries.Count == 0) return [MatchTranslator.CatchAll()];
        return entries
            .Where(m => m.Long("port") is not { } p || p == port)
            .Where(m => m["gateways"] is not JsonArray gateways || gateways.Any(g => g?.GetValue<string>() == "mesh"))
            // The same resources go to every client, so a match on the caller's labels or namespace cannot be honored.
            .Where(m => m["sourceLabels"] is null && m["sourceNamespace"] is null)
            .Select(MatchTranslator.Translate)
            .ToList();
    }

    private static Route? Template(JsonObject http, RouteContext context)
    {
        var route = new Route { Name = http.Str("name") ?? "" };
        var action = new RouteAction();
        if (http["route"] is not null)
        {
            if (!DestinationTranslator.Apply(route, action, http, context)) return null;
        }
        else
        {
            // gRPC clients accept only forwarding routes (grpc-js NACKs the whole configuration otherwise), so a
            // redirect or direct response reaches them as a route that fails every request with its status.
            var status = http.Obj("directResponse").Long("status") ?? http.Obj("redirect").Long("redirectCode") ?? DefaultRedirectCode;
            action.Cluster = XdsNames.Cluster(context.Port, "", context.Model.Host);
            route.TypedPerFilterConfig[EnvoyFilters.Fault] = FaultTranslator.AbortAll((uint)status);
        }
        ApplyRewrite(action, http.Obj("rewrite"));
        if (ProtoValues.Duration(http.Str("timeout")) is { } timeout)
        {
            // gRPC clients read max_stream_duration (gRFC A31); Envoy reads timeout.
            action.Timeout = timeout;
            action.MaxStreamDuration = new RouteAction.Types.MaxStreamDuration { MaxStreamDuration_ = timeout.Clone(), GrpcTimeoutHeaderMax = timeout.Clone() };
        }
        if (http.Obj("retries") is { } retries && RetryTranslator.Translate(retries) is { } retryPolicy) action.RetryPolicy = retryPolicy;
        DestinationTranslator.ApplyMirrors(action, http, context);
        route.Route_ = action;

        var headers = http.Obj("headers");
        HeaderOperationsTranslator.Apply(headers.Obj("request"), route.RequestHeadersToAdd, route.RequestHeadersToRemove);
        HeaderOperationsTranslator.Apply(headers.Obj("response"), route.ResponseHeadersToAdd, route.ResponseHeadersToRemove);
        // A direct response's abort stays: it is the route's whole behavior.
        if (http.Obj("fault") is { } fault && http["route"] is not null && FaultTranslator.Translate(fault) is { } faultConfig)
        {
            route.TypedPerFilterConfig[EnvoyFilters.Fault] = faultConfig;
        }
        if (http.Obj("corsPolicy") is { } cors && CorsTranslator.Translate(cors) is { } corsConfig)
        {
            route.TypedPerFilterConfig[EnvoyFilters.Cors] = corsConfig;
        }
        return route;
    }

    private static void ApplyRewrite(RouteAction action, JsonObject? rewrite)
    {
        if (rewrite is null) return;
        if (rewrite.Str("uri") is { } uri) action.PrefixRewrite = uri;
        if (rewrite.Obj("uriRegexRewrite") is { } regex)
        {
            action.RegexRewrite = new RegexMatchAndSubstitute
            {
                Pattern = new RegexMatcher { Regex = regex.Str("match") ?? "" },
                Substitution = regex.Str("rewrite") ?? "",
            };
        }
        if (rewrite.Str("authority") is { } authority) action.HostRewriteLiteral = authority;
    }
}
