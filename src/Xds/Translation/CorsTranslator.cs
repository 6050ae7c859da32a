using System.Globalization;
using Envoy.Config.Route.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Config.Views.VirtualServices;
using Mesh.Xds.Resources;
using Cors = Envoy.Extensions.Filters.Http.Cors.V3.Cors;
using CorsPolicy = Envoy.Extensions.Filters.Http.Cors.V3.CorsPolicy;
using HttpFilter = Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpFilter;
using IstioCorsPolicy = Mesh.Config.Views.VirtualServices.CorsPolicy;

namespace Mesh.Xds.Translation;

/// <summary>Istio <c>CorsPolicy</c> → the CORS filter's per-route config. gRPC clients have no CORS filter, so the
/// config is wrapped in an optional FilterConfig: without is_optional they would NACK the route configuration.</summary>
internal static class CorsTranslator
{
    public static Any Translate(IstioCorsPolicy cors)
    {
        var policy = new CorsPolicy { ForwardNotMatchingPreflights = ForwardsUnmatchedPreflights(cors.UnmatchedPreflights) };
        foreach (var origin in cors.AllowOrigins)
        {
            if (MatchTranslator.StringMatch(origin) is { } matcher) policy.AllowOriginStringMatch.Add(matcher);
        }
        foreach (var origin in cors.AllowOrigin)
        {
            policy.AllowOriginStringMatch.Add(new Envoy.Type.Matcher.V3.StringMatcher { Exact = origin });
        }
        policy.AllowMethods = string.Join(',', cors.AllowMethods);
        policy.AllowHeaders = string.Join(',', cors.AllowHeaders);
        policy.ExposeHeaders = string.Join(',', cors.ExposeHeaders);
        if (ProtoValues.Duration(cors.MaxAgeNanos) is { } maxAge) policy.MaxAge = maxAge.Seconds.ToString(CultureInfo.InvariantCulture);
        if (cors.AllowCredentials is { } credentials) policy.AllowCredentials = credentials;
        return Any.Pack(new FilterConfig { Config = Any.Pack(policy), IsOptional = true });
    }

    /// <summary>Whether a connection manager whose routes come from <paramref name="views"/> needs the CORS filter:
    /// Envoy applies a route's CORS policy only when the filter is in the chain.</summary>
    public static bool AnyPolicy(IEnumerable<VirtualServiceView> views) => views.Any(v => v.Http.Any(h => h.CorsPolicy is not null));

    /// <summary>The CORS filter of a connection manager; optional, since gRPC clients have none.</summary>
    public static HttpFilter Filter() => new() { Name = EnvoyFilters.Cors, TypedConfig = Any.Pack(new Cors()), IsOptional = true };

    /// <summary>Istio's <c>unmatchedPreflights</c> as Envoy's <c>forward_not_matching_preflights</c>: FORWARD sends a
    /// preflight from an origin that is not allowed upstream, IGNORE answers it with no CORS headers; unset (or
    /// UNSPECIFIED) leaves Envoy's default, which forwards.</summary>
    private static bool? ForwardsUnmatchedPreflights(string? unmatched) => unmatched switch
    {
        "FORWARD" => true,
        "IGNORE" => false,
        _ => null,
    };
}
