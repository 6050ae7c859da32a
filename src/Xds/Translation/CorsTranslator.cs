using System.Globalization;
using Envoy.Config.Route.V3;
using Google.Protobuf.WellKnownTypes;
using CorsPolicy = Envoy.Extensions.Filters.Http.Cors.V3.CorsPolicy;
using IstioCorsPolicy = Mesh.Config.Views.VirtualServices.CorsPolicy;

namespace Mesh.Xds.Translation;

/// <summary>Istio <c>CorsPolicy</c> → the CORS filter's per-route config. gRPC clients have no CORS filter, so the
/// config is wrapped in an optional FilterConfig: without is_optional they would NACK the route configuration.</summary>
internal static class CorsTranslator
{
    /// <summary>Null when the policy is not simple enough to express (unmatchedPreflights): it is skipped, not refused.</summary>
    public static Any? Translate(IstioCorsPolicy cors)
    {
        if (cors.UnmatchedPreflights is { } preflights && preflights != "UNSPECIFIED") return null;
        var policy = new CorsPolicy();
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
}
