using Envoy.Config.Route.V3;
using Google.Protobuf.Collections;
using Google.Protobuf.WellKnownTypes;
using Mesh.Sidecar.Matching;
using Mesh.Xds.Resources;
using CorsPolicy = Envoy.Extensions.Filters.Http.Cors.V3.CorsPolicy;

namespace Mesh.Sidecar.Config;

/// <summary>Compiles a route's <c>typed_per_filter_config["envoy.filters.http.cors"]</c> (a CorsPolicy, bare or in
/// an optional FilterConfig) into a <see cref="CorsPolicyModel"/>; null when the route has none.</summary>
internal static class CorsCompiler
{
    public static CorsPolicyModel? Compile(MapField<string, Any> configs, string where, List<string> errors)
    {
        if (!configs.TryGetValue(EnvoyFilters.Cors, out var any)) return null;
        var at = $"{where}.typed_per_filter_config[{EnvoyFilters.Cors}]";
        if (any.TryUnpack<FilterConfig>(out var wrapper))
        {
            if (wrapper.Disabled) return null;
            any = wrapper.Config;
            at += ".config";
            if (any is null) return errors.Fail<CorsPolicyModel>($"{at}: required");
        }
        return any.TryUnpack<CorsPolicy>(out var policy) ? Compile(policy, at, errors)
            : errors.Fail<CorsPolicyModel>($"{at}: not a CorsPolicy ({any.TypeUrl})");
    }

    public static CorsPolicyModel? Compile(CorsPolicy policy, string where, List<string> errors)
    {
        var before = errors.Count;
        var origins = policy.AllowOriginStringMatch
            .Select((m, i) => errors.Matcher(() => StringMatch.Compile(m, $"{where}.allow_origin_string_match[{i}]")))
            .OfType<StringMatch>().ToList();
        if (policy.ShadowEnabled is not null && policy.FilterEnabled is null)
        {
            // Shadow mode only counts stats, which mesh-sidecar does not keep: accepting it would silently do nothing.
            errors.Add($"{where}.shadow_enabled: shadow mode is not supported by mesh-sidecar");
        }
        var enabled = policy.FilterEnabled?.DefaultValue is { } fraction ? RouteCompiler.FractionOf(fraction) : Fraction.Always;
        return errors.Count > before ? null : new CorsPolicyModel(origins, NullIfEmpty(policy.AllowMethods), NullIfEmpty(policy.AllowHeaders),
            NullIfEmpty(policy.ExposeHeaders), NullIfEmpty(policy.MaxAge), policy.AllowCredentials ?? false)
        {
            Enabled = enabled,
            ForwardNotMatchingPreflights = policy.ForwardNotMatchingPreflights ?? true,
            AllowPrivateNetworkAccess = policy.AllowPrivateNetworkAccess ?? false,
        };
    }

    /// <summary>The places a CORS policy could be that mesh-sidecar does not read: refused, not ignored.</summary>
    public static void RefuseElsewhere(MapField<string, Any> configs, string where, List<string> errors)
    {
        if (configs.ContainsKey(EnvoyFilters.Cors) && !IsDisabled(configs[EnvoyFilters.Cors]))
        {
            errors.Add($"{where}.typed_per_filter_config[{EnvoyFilters.Cors}]: a CORS policy is supported only on a route by mesh-sidecar");
        }
    }

    private static bool IsDisabled(Any any) => any.TryUnpack<FilterConfig>(out var wrapper) && wrapper.Disabled;

    private static string? NullIfEmpty(string value) => value.Length > 0 ? value : null;
}
