using System.Text.Json.Nodes;
using Envoy.Config.Route.V3;
using Google.Protobuf.WellKnownTypes;
using CorsPolicy = Envoy.Extensions.Filters.Http.Cors.V3.CorsPolicy;

namespace Mesh.Xds.Translation;

/// <summary>Istio <c>CorsPolicy</c> → the CORS filter's per-route config. gRPC clients have no CORS filter, so the
/// config is wrapped in an optional FilterConfig: without is_optional they would NACK the route configuration.</summary>
internal static class CorsTranslator
{

    /// <summary>Null when the policy is not simple enough to express (unmatchedPreflights): it is skipped, not refused.</summary>
    public static Any? Translate(JsonObject cors)
    {
        if (cors.Str("unmatchedPreflights") is { } preflights && preflights != "UNSPECIFIED") return null;
        var policy = new CorsPolicy();
        foreach (var origin in cors.Objects("allowOrigins"))
        {
            if (MatchTranslator.StringMatch(origin) is { } matcher) policy.AllowOriginStringMatch.Add(matcher);
        }
        // allowOrigin is Istio's deprecated list of exact origins.
        foreach (var origin in cors.Array("allowOrigin").Select(n => n?.GetValue<string>()).OfType<string>())
        {
            policy.AllowOriginStringMatch.Add(new Envoy.Type.Matcher.V3.StringMatcher { Exact = origin });
        }
        policy.AllowMethods = Joined(cors, "allowMethods");
        policy.AllowHeaders = Joined(cors, "allowHeaders");
        policy.ExposeHeaders = Joined(cors, "exposeHeaders");
        if (ProtoValues.Duration(cors.Str("maxAge")) is { } maxAge) policy.MaxAge = maxAge.Seconds.Invariant();
        if (cors.Bool("allowCredentials") is { } credentials) policy.AllowCredentials = credentials;
        return Any.Pack(new FilterConfig { Config = Any.Pack(policy), IsOptional = true });
    }

    private static string Joined(JsonObject cors, string field)
        => string.Join(',', cors.Array(field).Select(n => n?.GetValue<string>()).OfType<string>());
}
