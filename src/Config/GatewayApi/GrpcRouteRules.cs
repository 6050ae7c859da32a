using System.Text.RegularExpressions;
using Mesh.Config.Views;
using Mesh.Config.Views.VirtualServices;

namespace Mesh.Config.GatewayApi;

/// <summary>A GRPCRoute's rules as Istio HTTP routes: a method match is a match on the request path
/// <c>/SERVICE/METHOD</c> (exact when both are given exactly, a prefix for a service alone, a regex otherwise).</summary>
public static class GrpcRouteRules
{
    public static IEnumerable<RankedRoute> Grpc(GatewayApiObject route, RouteBackends backends)
    {
        var rules = route.Spec.Objects("rules").ToList();
        for (var r = 0; r < rules.Count; r++)
        {
            var rule = rules[r];
            var matches = rule.Objects("matches").ToList();
            if (matches.Count == 0) matches.Add([]);
            var filters = rule.Objects("filters").ToList();
            var destinations = backends.Weighted(rule.Objects("backendRefs"));
            var mirrors = filters.Where(f => f.Str("type") == "RequestMirror").Select(f => RouteFilters.Mirror(f.Obj("requestMirror")!, backends)).OfType<HttpMirrorPolicy>().ToList();
            for (var m = 0; m < matches.Count; m++)
            {
                var method = matches[m].Obj("method");
                var (service, name) = (method.Str("service"), method.Str("method"));
                var converted = new HttpMatchRequest { Uri = Path(method.Str("type") ?? "Exact", service, name), Headers = RouteRules.Named(matches[m].Objects("headers")) };
                var httpRoute = new HttpRoute
                {
                    Name = $"{route.Namespace}.{route.Name}.{r}.{m}",
                    Match = [converted],
                    Headers = RouteFilters.Headers(filters),
                    Mirrors = mirrors,
                    Route = destinations.Count > 0 ? destinations : null,
                    DirectResponse = destinations.Count > 0 ? null : new HttpDirectResponse(500, null, null),
                };
                var rank = new MatchRank(0, service?.Length ?? 0, name?.Length ?? 0, matches[m].Objects("headers").Count(), 0);
                yield return new RankedRoute(httpRoute, rank, route, r, m);
            }
        }
    }

    private static StringMatch? Path(string type, string? service, string? method)
    {
        if (service is null && method is null) return null;
        if (type == "Exact")
        {
            if (service is not null && method is not null) return new StringMatch($"/{service}/{method}", null, null);
            if (service is not null) return new StringMatch(null, $"/{service}/", null);
            return new StringMatch(null, null, $"/[^/]+/{Regex.Escape(method!)}");
        }
        return new StringMatch(null, null, $"/{service ?? "[^/]+"}/{method ?? "[^/]+"}");
    }
}
