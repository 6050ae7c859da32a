using System.Text.Json.Nodes;
using Mesh.Config.Views;
using Mesh.Config.Views.VirtualServices;

namespace Mesh.Config.GatewayApi;

/// <summary>An HTTPRoute's rules as Istio HTTP routes, one per match, ranked. A PathPrefix matches on path-segment
/// boundaries (<c>/foo</c> matches <c>/foo</c> and <c>/foo/bar</c>, not <c>/foobar</c>), which Istio's string prefix
/// does not: it becomes two routes, an exact <c>/foo</c> and a prefix <c>/foo/</c>, so that a prefix rewrite keeps the
/// rest of the path on either.</summary>
public static class RouteRules
{
    public static IEnumerable<RankedRoute> Http(GatewayApiObject route, RouteBackends backends)
    {
        var rules = route.Spec.Objects("rules").ToList();
        for (var r = 0; r < rules.Count; r++)
        {
            var rule = rules[r];
            var matches = rule.Objects("matches").ToList();
            if (matches.Count == 0) matches.Add([]);
            var action = Action(rule, backends);
            for (var m = 0; m < matches.Count; m++)
            {
                var match = matches[m];
                var path = match.Obj("path");
                var type = path.Str("type") ?? "PathPrefix";
                var value = path.Str("value") ?? "/";
                var rank = new MatchRank(type switch { "Exact" => 0, "RegularExpression" => 1, _ => 2 }, value.Length,
                    match.Has("method") ? 1 : 0, match.Objects("headers").Count(), match.Objects("queryParams").Count());
                foreach (var (uri, branch) in PathBranches(type, value))
                {
                    var converted = new HttpMatchRequest
                    {
                        Uri = uri,
                        Method = match.Str("method") is { } method ? new StringMatch(method, null, null) : null,
                        Headers = Named(match.Objects("headers")),
                        QueryParams = Named(match.Objects("queryParams")),
                    };
                    yield return new RankedRoute(action(converted, branch, $"{route.Namespace}.{route.Name}.{r}.{m}"), rank, route, r, m);
                }
            }
        }
    }

    /// <summary>The Istio URI matches a path match stands for, each with what a ReplacePrefixMatch turns into on it.</summary>
    private static IEnumerable<(StringMatch Uri, Func<string, string>? Branch)> PathBranches(string type, string value)
    {
        if (type == "Exact") return [(new StringMatch(value, null, null), null)];
        if (type == "RegularExpression") return [(new StringMatch(null, null, value), null)];
        var prefix = value.TrimEnd('/');
        if (prefix.Length == 0) return [(new StringMatch(null, "/", null), replacement => replacement.TrimEnd('/') + "/")];
        return
        [
            (new StringMatch(prefix, null, null), replacement => replacement),
            (new StringMatch(null, prefix + "/", null), replacement => replacement.TrimEnd('/') + "/"),
        ];
    }

    /// <summary>Header and query matches keyed as Istio keys them (header names lower case); of two matches for one
    /// name, the first counts, as the API says.</summary>
    public static IReadOnlyDictionary<string, StringMatch> Named(IEnumerable<JsonObject> matches)
    {
        var named = new SortedDictionary<string, StringMatch>(StringComparer.Ordinal);
        foreach (var match in matches)
        {
            var value = match.Str("value") ?? "";
            named.TryAdd((match.Str("name") ?? "").ToLowerInvariant(),
                match.Str("type") == "RegularExpression" ? new StringMatch(null, null, value) : new StringMatch(value, null, null));
        }
        return named;
    }

    /// <summary>What a rule does with a request its match took: its filters, then forward, redirect or 500.</summary>
    private static Func<HttpMatchRequest, Func<string, string>?, string, HttpRoute> Action(JsonObject rule, RouteBackends backends)
    {
        var filters = rule.Objects("filters").ToList();
        var redirect = filters.FirstOrDefault(f => f.Str("type") == "RequestRedirect").Obj("requestRedirect");
        var rewrite = filters.FirstOrDefault(f => f.Str("type") == "URLRewrite").Obj("urlRewrite");
        var cors = filters.FirstOrDefault(f => f.Str("type") == "CORS").Obj("cors");
        var mirrors = filters.Where(f => f.Str("type") == "RequestMirror").Select(f => RouteFilters.Mirror(f.Obj("requestMirror")!, backends)).OfType<HttpMirrorPolicy>().ToList();
        var destinations = backends.Weighted(rule.Objects("backendRefs"));
        var timeouts = rule.Obj("timeouts");
        var request = timeouts.Nanos("request");
        var backendRequest = timeouts.Nanos("backendRequest");
        return (match, branch, name) =>
        {
            var prefixReplacement = (string? replacement) => replacement is null || branch is null ? null : branch(replacement);
            var route = new HttpRoute
            {
                Name = name,
                Match = [match],
                Headers = RouteFilters.Headers(filters),
                CorsPolicy = cors is null ? null : RouteFilters.Cors(cors),
                Mirrors = mirrors,
                // 0s is "no timeout" in both APIs; a backend request timeout alone bounds the one attempt there is.
                TimeoutNanos = request ?? backendRequest,
                Retries = request is not null && backendRequest is not null ? new HttpRetry(Traffic.RetryConditions.IstioDefaultAttempts, Traffic.RetryConditions.IstioDefaultOn, backendRequest, null) : null,
            };
            // Istio's redirect replaces the whole path: exact on the "/foo" branch; the "/foo/..." branch keeps its path
            // (the view has no prefix redirect yet, see RouteFilters.Redirect).
            var redirectPath = match.Uri?.Prefix is null ? prefixReplacement(redirect.Obj("path").Str("replacePrefixMatch")) : null;
            if (redirect is not null) return route with { Redirect = RouteFilters.Redirect(redirect, redirectPath) };
            route = route with { Rewrite = rewrite is null ? null : RouteFilters.Rewrite(rewrite, prefixReplacement(rewrite.Obj("path").Str("replacePrefixMatch"))) };
            // A rule with no backend that resolves answers 500, as the API requires (and so does one with no backendRefs).
            return destinations.Count > 0 ? route with { Route = destinations } : route with { DirectResponse = new HttpDirectResponse(500, null, null) };
        };
    }
}
