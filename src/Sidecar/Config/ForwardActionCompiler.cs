using System.Text.RegularExpressions;
using Envoy.Config.Route.V3;
using Mesh.Config.Traffic;
using HttpRules = Mesh.Config.Validation.Rules.Http;
using Mesh.Sidecar.Matching;
using EnvoyRoute = Envoy.Config.Route.V3;

namespace Mesh.Sidecar.Config;

/// <summary>Compiles a route's <c>route</c> action: clusters by weight, timeout, retries, hash policies, mirrors and
/// rewrites.</summary>
internal static class ForwardActionCompiler
{
    /// <summary>Istio writes this retry policy into every route whose VirtualService sets no <c>retries</c>; Mesh's
    /// translator leaves it out for the sake of gRPC clients, so the sidecar applies it to a route that has none. (A
    /// VirtualService with <c>attempts: 0</c> therefore still gets it.)</summary>
    public static RetryPolicy IstioDefaultRetry { get; } = new(
        RetryConditions.Split(RetryConditions.IstioDefaultOn), RetryConditions.IstioDefaultAttempts, null,
        RetryConditions.DefaultBaseInterval, RetryConditions.DefaultBaseInterval * RetryConditions.DefaultMaxIntervalFactor,
        RetryConditions.IstioDefaultStatusCodes.ToHashSet());

    public static ForwardAction? Compile(RouteAction action, string where, List<string> errors)
    {
        var before = errors.Count;
        var clusters = action.ClusterSpecifierCase switch
        {
            RouteAction.ClusterSpecifierOneofCase.Cluster => [new WeightedCluster(action.Cluster, 1, HeaderEdits.None)],
            RouteAction.ClusterSpecifierOneofCase.WeightedClusters => action.WeightedClusters.Clusters
                .Select((c, i) => new WeightedCluster(c.Name, c.Weight ?? 0, HeaderEditsCompiler.Compile(c.RequestHeadersToAdd, c.RequestHeadersToRemove, c.ResponseHeadersToAdd, c.ResponseHeadersToRemove,
                    $"{where}.weighted_clusters.clusters[{i}]", errors)))
                .ToList(),
            _ => errors.Fail<List<WeightedCluster>>($"{where}: cluster specifier {action.ClusterSpecifierCase} is not supported (cluster or weighted_clusters)") ?? [],
        };
        if (clusters.Count == 0 && errors.Count == before) errors.Add($"{where}.weighted_clusters: no clusters");
        HeaderEditsCompiler.Text(action.PrefixRewrite, $"{where}.prefix_rewrite", errors);
        if (HttpRules.Authority(action.HostRewriteLiteral) is { } authority) errors.Add($"{where}.host_rewrite_literal: {authority}");
        HeaderEditsCompiler.Text(action.RegexRewrite?.Substitution, $"{where}.regex_rewrite.substitution", errors);
        var routeTimeout = DurationBounds.Read(action.Timeout, $"{where}.timeout", errors);
        var streamDuration = DurationBounds.Read(action.MaxStreamDuration?.MaxStreamDuration_, $"{where}.max_stream_duration.max_stream_duration", errors);
        var timeout = routeTimeout is { } t && t > TimeSpan.Zero ? DurationBounds.Timeout(t) : DurationBounds.Timeout(streamDuration);
        var hashes = new List<HashPolicy>();
        for (var i = 0; i < action.HashPolicy.Count; i++)
        {
            if (HashOf(action.HashPolicy[i], $"{where}.hash_policy[{i}]", errors) is { } hash) hashes.Add(hash);
        }
        var mirrors = action.RequestMirrorPolicies
            .Select(m => new MirrorPolicy(m.Cluster, m.RuntimeFraction?.DefaultValue is { } f ? RouteCompiler.FractionOf(f) : Fraction.Always))
            .ToList();
        Regex? rewrite = null;
        if (action.RegexRewrite?.Pattern is { } pattern)
        {
            // A rewrite substitutes within the path, so it is not anchored.
            rewrite = SafeRegex.Search(pattern.Regex, out var problem);
            if (rewrite is null) errors.Add($"{where}.regex_rewrite.pattern.regex: {problem}");
        }
        var retry = RetryOf(action.RetryPolicy, $"{where}.retry_policy", errors) ?? IstioDefaultRetry;
        return errors.Count > before ? null : new ForwardAction(clusters, timeout, retry, hashes, mirrors,
            action.PrefixRewrite is { Length: > 0 } prefix ? prefix : null, rewrite, action.RegexRewrite is { } r ? Substitution(r.Substitution) : null,
            action.HostRewriteLiteral is { Length: > 0 } host ? host : null);
    }

    private static HashPolicy? HashOf(RouteAction.Types.HashPolicy hash, string where, List<string> errors)
    {
        switch (hash.PolicySpecifierCase)
        {
            case RouteAction.Types.HashPolicy.PolicySpecifierOneofCase.Header:
                return new HashPolicy(HashSource.Header, hash.Header.HeaderName.ToLowerInvariant(), null, null, hash.Terminal);
            case RouteAction.Types.HashPolicy.PolicySpecifierOneofCase.Cookie:
                // The cookie's name and path go into a Set-Cookie header this proxy writes.
                var cookie = hash.Cookie;
                if (HttpRules.CookieName(cookie.Name) is { } name) errors.Add($"{where}.cookie.name: {name}");
                if (cookie.Path.Length > 0 && HttpRules.CookieAttribute(cookie.Path) is { } path) errors.Add($"{where}.cookie.path: {path}");
                return new HashPolicy(HashSource.Cookie, cookie.Name, DurationBounds.Read(cookie.Ttl, $"{where}.cookie.ttl", errors), cookie.Path, hash.Terminal);
            case RouteAction.Types.HashPolicy.PolicySpecifierOneofCase.ConnectionProperties:
                return new HashPolicy(HashSource.SourceIp, "", null, null, hash.Terminal);
            case RouteAction.Types.HashPolicy.PolicySpecifierOneofCase.QueryParameter:
                return new HashPolicy(HashSource.QueryParameter, hash.QueryParameter.Name, null, null, hash.Terminal);
            default:
                return null;
        }
    }

    /// <summary>Envoy's substitution (<c>\1</c> for a group, <c>\\</c> for a backslash, the rest literal) in .NET's
    /// replacement syntax (<c>${1}</c>, <c>$$</c> for a dollar), once, here.</summary>
    private static string Substitution(string envoy)
    {
        var text = new System.Text.StringBuilder(envoy.Length + 4);
        for (var i = 0; i < envoy.Length; i++)
        {
            var c = envoy[i];
            if (c == '\\' && i + 1 < envoy.Length && char.IsAsciiDigit(envoy[i + 1])) text.Append("${").Append(envoy[++i]).Append('}');
            else if (c == '\\' && i + 1 < envoy.Length && envoy[i + 1] == '\\') text.Append(envoy[++i]);
            else if (c == '$') text.Append("$$");
            else text.Append(c);
        }
        return text.ToString();
    }

    private static RetryPolicy? RetryOf(EnvoyRoute.RetryPolicy? policy, string where, List<string> errors)
    {
        if (policy is null) return null;
        var conditions = RetryConditions.Split(policy.RetryOn);
        foreach (var unknown in conditions.Where(c => !RetryConditions.Known.Contains(c)))
        {
            errors.Add($"{where}.retry_on: \"{unknown}\" is not a retry condition");
        }
        var baseInterval = DurationBounds.Wait(DurationBounds.Read(policy.RetryBackOff?.BaseInterval, $"{where}.retry_back_off.base_interval", errors) ?? RetryConditions.DefaultBaseInterval);
        var maxInterval = DurationBounds.Wait(DurationBounds.Read(policy.RetryBackOff?.MaxInterval, $"{where}.retry_back_off.max_interval", errors) ?? baseInterval * RetryConditions.DefaultMaxIntervalFactor);
        return new RetryPolicy(conditions, (int)(policy.NumRetries ?? 1),
            DurationBounds.Timeout(DurationBounds.Read(policy.PerTryTimeout, $"{where}.per_try_timeout", errors)),
            baseInterval, maxInterval, policy.RetriableStatusCodes.Select(c => (int)c).ToHashSet());
    }
}
