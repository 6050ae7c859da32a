using Mesh.Config.Traffic;
// Envoy's deprecated fields (legacy header matchers, append) are still sent by control planes
// and must be honoured, so they are read here on purpose.
#pragma warning disable CS0612, CS0618
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Envoy.Config.Cluster.V3;
using Envoy.Config.Endpoint.V3;
using Envoy.Config.Listener.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.Fault.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;
using EnvoyCore = Envoy.Config.Core.V3;
using EnvoyType = Envoy.Type.V3;
using EnvoyMatcher = Envoy.Type.Matcher.V3;
using EnvoyRoute = Envoy.Config.Route.V3;
using Route = Envoy.Config.Route.V3.Route;
using Mesh.Xds.Resources;
using Mesh.Sidecar.Security.Matching;

namespace Mesh.Sidecar.Config;

/// <summary>Compiles received resources into a <see cref="ProxyModel"/>, or says exactly what it cannot apply
/// (resource, field path, reason): the NACK's error text. Everything a request will need is checked here, so that a
/// model that compiles never fails a request for a config reason.</summary>
public static class ModelCompiler
{
    private static readonly HashSet<string> KnownFilters = [EnvoyFilters.Fault, EnvoyFilters.Router, EnvoyFilters.Cors];

    public static (ProxyModel? Model, IReadOnlyList<string> Errors) Compile(ResourceSet resources)
    {
        var errors = new List<string>();
        var routes = ImmutableDictionary.CreateBuilder<string, RouteTable>(StringComparer.Ordinal);
        foreach (var (name, resource) in resources.Of(TypeUrls.Route))
        {
            if (RouteTableOf((RouteConfiguration)resource.Message, $"RouteConfiguration {name}", errors) is { } table) routes[name] = table;
        }
        var listeners = ImmutableDictionary.CreateBuilder<string, ListenerModel>(StringComparer.Ordinal);
        InboundModel? inbound = null;
        foreach (var (name, resource) in resources.Of(TypeUrls.Listener))
        {
            if (InboundListenerName.IsInbound(name)) inbound = InboundCompiler.Compile((Listener)resource.Message, errors);
            else if (ListenerOf((Listener)resource.Message, errors) is { } listener) listeners[name] = listener;
        }
        var trust = TrustOf(resources, errors);
        var clusters = ImmutableDictionary.CreateBuilder<string, UpstreamCluster>(StringComparer.Ordinal);
        foreach (var (name, resource) in resources.Of(TypeUrls.Cluster))
        {
            var cluster = (Cluster)resource.Message;
            var serviceName = cluster.EdsClusterConfig?.ServiceName is { Length: > 0 } service ? service : name;
            var assignment = cluster.Type == Cluster.Types.DiscoveryType.Eds
                ? resources.Get<ClusterLoadAssignment>(TypeUrls.Endpoint, serviceName)
                : cluster.LoadAssignment;
            var version = resources.Of(TypeUrls.Endpoint).TryGetValue(serviceName, out var eds) ? eds.Version : resource.Version;
            if (ClusterOf(cluster, assignment, errors) is { } model) clusters[name] = model with { EndpointsVersion = version };
        }
        return errors.Count > 0 ? (null, errors)
            : (new ProxyModel(resources, listeners.ToImmutable(), routes.ToImmutable(), clusters.ToImmutable()) { Inbound = inbound, TrustBundle = trust }, errors);
    }

    /// <summary>The RDS name a listener uses, or null when it has none (inline routes, or not an HTTP listener).</summary>
    public static string? RouteNameOf(Listener listener) => Manager(listener) is { RouteSpecifierCase: HttpConnectionManager.RouteSpecifierOneofCase.Rds } manager
        ? manager.Rds.RouteConfigName
        : null;

    /// <summary>The clusters a route configuration can send to (routes and mirrors).</summary>
    public static IEnumerable<string> ClustersOf(RouteConfiguration routes)
        => routes.VirtualHosts.SelectMany(v => v.Routes)
            .Where(r => r.ActionCase == Route.ActionOneofCase.Route_)
            .SelectMany(r => (r.Route_.ClusterSpecifierCase == RouteAction.ClusterSpecifierOneofCase.WeightedClusters
                    ? r.Route_.WeightedClusters.Clusters.Select(c => c.Name)
                    : [r.Route_.Cluster])
                .Concat(r.Route_.RequestMirrorPolicies.Select(m => m.Cluster)))
            .Where(n => n.Length > 0)
            .Distinct(StringComparer.Ordinal);

    /// <summary>The EDS name of a cluster, or null when it takes no EDS.</summary>
    public static string? EndpointNameOf(Cluster cluster) => cluster.Type == Cluster.Types.DiscoveryType.Eds
        ? cluster.EdsClusterConfig?.ServiceName is { Length: > 0 } service ? service : cluster.Name
        : null;

    private static HttpConnectionManager? Manager(Listener listener)
    {
        if (listener.ApiListener?.ApiListener_ is { } api && api.TryUnpack<HttpConnectionManager>(out var fromApi)) return fromApi;
        foreach (var chain in listener.FilterChains)
        {
            foreach (var filter in chain.Filters)
            {
                if (filter.Name == EnvoyFilters.HttpConnectionManager && filter.TypedConfig?.TryUnpack<HttpConnectionManager>(out var manager) == true) return manager;
            }
        }
        return null;
    }

    private static ListenerModel? ListenerOf(Listener listener, List<string> errors)
    {
        var where = $"Listener {listener.Name}";
        if (Manager(listener) is not { } manager)
        {
            errors.Add($"{where}: no HTTP connection manager (in api_listener or a filter chain); only HTTP listeners are supported");
            return null;
        }
        var fault = false;
        for (var i = 0; i < manager.HttpFilters.Count; i++)
        {
            var filter = manager.HttpFilters[i];
            if (filter.Name == EnvoyFilters.Fault) fault = true;
            else if (!KnownFilters.Contains(filter.Name) && !filter.IsOptional)
            {
                errors.Add($"{where}: http_filters[{i}]: filter \"{filter.Name}\" is not supported by mesh-sidecar (mark it is_optional to skip it)");
            }
        }
        if (manager.HttpFilters.Count > 0 && manager.HttpFilters[^1].Name != EnvoyFilters.Router)
        {
            errors.Add($"{where}: http_filters: the last filter must be {EnvoyFilters.Router}");
        }
        var model = manager.RouteSpecifierCase switch
        {
            HttpConnectionManager.RouteSpecifierOneofCase.Rds => new ListenerModel(listener.Name, manager.Rds.RouteConfigName, null, fault),
            HttpConnectionManager.RouteSpecifierOneofCase.RouteConfig => RouteTableOf(manager.RouteConfig, $"{where}: route_config", errors) is { } inline
                ? new ListenerModel(listener.Name, inline.Name, inline, fault)
                : null,
            _ => Fail<ListenerModel>(errors, $"{where}: route_specifier: only rds and route_config are supported"),
        };
        return model is null ? null : model with { Paths = Proxy.Paths.PathNormalization.Of(manager) };
    }

    private static RouteTable? RouteTableOf(RouteConfiguration configuration, string where, List<string> errors)
    {
        var before = errors.Count;
        var hosts = new List<VirtualHostModel>();
        for (var v = 0; v < configuration.VirtualHosts.Count; v++)
        {
            var host = configuration.VirtualHosts[v];
            var path = $"{where}: virtual_hosts[{v}]";
            var routes = new List<RouteEntry>();
            for (var r = 0; r < host.Routes.Count; r++)
            {
                if (RouteOf(host.Routes[r], $"{path}.routes[{r}]", errors) is { } route) routes.Add(route);
            }
            hosts.Add(new VirtualHostModel(host.Name, [.. host.Domains],
                routes, HeaderEditsCompiler.Compile(host.RequestHeadersToAdd, host.RequestHeadersToRemove, host.ResponseHeadersToAdd, host.ResponseHeadersToRemove, path, errors)));
        }
        return errors.Count > before ? null : new RouteTable(configuration.Name, hosts);
    }

    private static RouteEntry? RouteOf(EnvoyRoute.Route route, string where, List<string> errors)
    {
        var before = errors.Count;
        var match = MatcherOf(route.Match, $"{where}.match", errors);
        var headers = HeaderEditsCompiler.Compile(route.RequestHeadersToAdd, route.RequestHeadersToRemove, route.ResponseHeadersToAdd, route.ResponseHeadersToRemove, where, errors);
        FaultPolicy? fault = null;
        if (route.TypedPerFilterConfig.TryGetValue(EnvoyFilters.Fault, out var faultConfig))
        {
            fault = faultConfig.TryUnpack<HTTPFault>(out var parsed) ? FaultOf(parsed, $"{where}.typed_per_filter_config[{EnvoyFilters.Fault}]", errors)
                : Fail<FaultPolicy>(errors, $"{where}.typed_per_filter_config[{EnvoyFilters.Fault}]: not an HTTPFault ({faultConfig.TypeUrl})");
        }
        ForwardAction? forward = null;
        RedirectAction? redirect = null;
        DirectResponse? direct = null;
        switch (route.ActionCase)
        {
            case Route.ActionOneofCase.Route_:
                forward = ForwardOf(route.Route_, $"{where}.route", errors);
                break;
            case Route.ActionOneofCase.Redirect:
                redirect = RedirectOf(route.Redirect, $"{where}.redirect", errors);
                break;
            case Route.ActionOneofCase.DirectResponse:
                direct = new DirectResponse((int)route.DirectResponse.Status,
                    route.DirectResponse.Body is { } body ? body.SpecifierCase switch
                    {
                        EnvoyCore.DataSource.SpecifierOneofCase.InlineString => body.InlineString,
                        EnvoyCore.DataSource.SpecifierOneofCase.InlineBytes => body.InlineBytes.ToStringUtf8(),
                        _ => null,
                    } : null);
                break;
            default:
                errors.Add($"{where}: action {route.ActionCase} is not supported (route, redirect or direct_response)");
                break;
        }
        return errors.Count > before || match is null ? null : new RouteEntry(route.Name, match, forward, redirect, direct, headers, fault);
    }

    private static RouteMatcher? MatcherOf(RouteMatch match, string where, List<string> errors)
    {
        if (match is null) return Fail<RouteMatcher>(errors, $"{where}: required");
        var before = errors.Count;
        var caseSensitive = match.CaseSensitive ?? true;
        var (kind, value, regex) = match.PathSpecifierCase switch
        {
            RouteMatch.PathSpecifierOneofCase.Prefix => (PathMatch.Prefix, match.Prefix, null),
            RouteMatch.PathSpecifierOneofCase.Path => (PathMatch.Exact, match.Path, null),
            RouteMatch.PathSpecifierOneofCase.PathSeparatedPrefix => (PathMatch.SeparatedPrefix, match.PathSeparatedPrefix, null),
            RouteMatch.PathSpecifierOneofCase.SafeRegex => (PathMatch.Regex, match.SafeRegex.Regex, Regex(match.SafeRegex.Regex, $"{where}.safe_regex.regex", errors)),
            _ => (PathMatch.Prefix, "", Fail<Regex>(errors, $"{where}: path specifier {match.PathSpecifierCase} is not supported")),
        };
        var headers = new List<HeaderCondition>();
        for (var i = 0; i < match.Headers.Count; i++)
        {
            if (HeaderConditionOf(match.Headers[i], $"{where}.headers[{i}]", errors) is { } condition) headers.Add(condition);
        }
        var query = new List<QueryCondition>();
        for (var i = 0; i < match.QueryParameters.Count; i++)
        {
            var parameter = match.QueryParameters[i];
            var path = $"{where}.query_parameters[{i}]";
            query.Add(parameter.QueryParameterMatchSpecifierCase switch
            {
                EnvoyRoute.QueryParameterMatcher.QueryParameterMatchSpecifierOneofCase.PresentMatch => new QueryCondition(parameter.Name, null, true),
                EnvoyRoute.QueryParameterMatcher.QueryParameterMatchSpecifierOneofCase.StringMatch => new QueryCondition(parameter.Name, StringOf(parameter.StringMatch, $"{path}.string_match", errors), false),
                _ => new QueryCondition(parameter.Name, null, true),
            });
        }
        Fraction? runtime = match.RuntimeFraction?.DefaultValue is { } fraction ? FractionOf(fraction) : null;
        return errors.Count > before ? null
            : new RouteMatcher(kind, value, regex, caseSensitive, headers, query, match.Grpc is not null, runtime);
    }

    private static HeaderCondition? HeaderConditionOf(HeaderMatcher header, string where, List<string> errors)
    {
        var name = header.Name.ToLowerInvariant();
        StringCondition Exact(StringKind kind, string value) => new(kind, value, null, false);
        return header.HeaderMatchSpecifierCase switch
        {
            HeaderMatcher.HeaderMatchSpecifierOneofCase.ExactMatch => new HeaderCondition(name, Exact(StringKind.Exact, header.ExactMatch), null, null, header.InvertMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.PrefixMatch => new HeaderCondition(name, Exact(StringKind.Prefix, header.PrefixMatch), null, null, header.InvertMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.SuffixMatch => new HeaderCondition(name, Exact(StringKind.Suffix, header.SuffixMatch), null, null, header.InvertMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.ContainsMatch => new HeaderCondition(name, Exact(StringKind.Contains, header.ContainsMatch), null, null, header.InvertMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.SafeRegexMatch => Regex(header.SafeRegexMatch.Regex, $"{where}.safe_regex_match.regex", errors) is { } regex
                ? new HeaderCondition(name, new StringCondition(StringKind.Regex, header.SafeRegexMatch.Regex, regex, false), null, null, header.InvertMatch)
                : null,
            HeaderMatcher.HeaderMatchSpecifierOneofCase.PresentMatch => new HeaderCondition(name, null, header.PresentMatch, null, header.InvertMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.RangeMatch => new HeaderCondition(name, null, null, (header.RangeMatch.Start, header.RangeMatch.End), header.InvertMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.StringMatch => StringOf(header.StringMatch, $"{where}.string_match", errors) is { } value
                ? new HeaderCondition(name, value, null, null, header.InvertMatch)
                : null,
            _ => new HeaderCondition(name, null, true, null, header.InvertMatch),
        };
    }

    private static StringCondition? StringOf(EnvoyMatcher.StringMatcher matcher, string where, List<string> errors) => matcher.MatchPatternCase switch
    {
        EnvoyMatcher.StringMatcher.MatchPatternOneofCase.Exact => new StringCondition(StringKind.Exact, matcher.Exact, null, matcher.IgnoreCase),
        EnvoyMatcher.StringMatcher.MatchPatternOneofCase.Prefix => new StringCondition(StringKind.Prefix, matcher.Prefix, null, matcher.IgnoreCase),
        EnvoyMatcher.StringMatcher.MatchPatternOneofCase.Suffix => new StringCondition(StringKind.Suffix, matcher.Suffix, null, matcher.IgnoreCase),
        EnvoyMatcher.StringMatcher.MatchPatternOneofCase.Contains => new StringCondition(StringKind.Contains, matcher.Contains, null, matcher.IgnoreCase),
        EnvoyMatcher.StringMatcher.MatchPatternOneofCase.SafeRegex => Regex(matcher.SafeRegex.Regex, $"{where}.safe_regex.regex", errors) is { } regex
            ? new StringCondition(StringKind.Regex, matcher.SafeRegex.Regex, regex, false)
            : null,
        _ => Fail<StringCondition>(errors, $"{where}: match pattern {matcher.MatchPatternCase} is not supported"),
    };

    /// <summary>A whole-string <c>safe_regex</c> from the one linear-time builder; refused with the reason otherwise.
    /// (Envoy ignores a route's <c>case_sensitive</c> for regexes, so does this.)</summary>
    private static Regex? Regex(string pattern, string where, List<string> errors)
        => SafeRegex.WholeString(pattern, out var problem) ?? Fail<Regex>(errors, $"{where}: {problem}");

    private static ForwardAction? ForwardOf(RouteAction action, string where, List<string> errors)
    {
        var before = errors.Count;
        var clusters = action.ClusterSpecifierCase switch
        {
            RouteAction.ClusterSpecifierOneofCase.Cluster => [new WeightedCluster(action.Cluster, 1, HeaderEdits.None)],
            RouteAction.ClusterSpecifierOneofCase.WeightedClusters => action.WeightedClusters.Clusters
                .Select((c, i) => new WeightedCluster(c.Name, c.Weight ?? 0, HeaderEditsCompiler.Compile(c.RequestHeadersToAdd, c.RequestHeadersToRemove, c.ResponseHeadersToAdd, c.ResponseHeadersToRemove,
                    $"{where}.weighted_clusters.clusters[{i}]", errors)))
                .ToList(),
            _ => Fail<List<WeightedCluster>>(errors, $"{where}: cluster specifier {action.ClusterSpecifierCase} is not supported (cluster or weighted_clusters)") ?? [],
        };
        if (clusters.Count == 0 && errors.Count == before) errors.Add($"{where}.weighted_clusters: no clusters");
        HeaderEditsCompiler.Text(action.PrefixRewrite, $"{where}.prefix_rewrite", errors);
        if (Mesh.Config.Validation.Rules.Http.Authority(action.HostRewriteLiteral) is { } authority) errors.Add($"{where}.host_rewrite_literal: {authority}");
        HeaderEditsCompiler.Text(action.RegexRewrite?.Substitution, $"{where}.regex_rewrite.substitution", errors);
        var routeTimeout = DurationBounds.Read(action.Timeout, $"{where}.timeout", errors);
        var streamDuration = DurationBounds.Read(action.MaxStreamDuration?.MaxStreamDuration_, $"{where}.max_stream_duration.max_stream_duration", errors);
        var timeout = routeTimeout is { } t && t > TimeSpan.Zero ? DurationBounds.Timeout(t) : DurationBounds.Timeout(streamDuration);
        for (var i = 0; i < action.HashPolicy.Count; i++)
        {
            // The cookie's name and path go into a Set-Cookie header this proxy writes.
            if (action.HashPolicy[i].Cookie is not { } cookie) continue;
            if (Mesh.Config.Validation.Rules.Http.CookieName(cookie.Name) is { } name) errors.Add($"{where}.hash_policy[{i}].cookie.name: {name}");
            if (cookie.Path.Length > 0 && Mesh.Config.Validation.Rules.Http.CookieAttribute(cookie.Path) is { } path) errors.Add($"{where}.hash_policy[{i}].cookie.path: {path}");
        }
        var hashes = action.HashPolicy.Select(h => h.PolicySpecifierCase switch
        {
            RouteAction.Types.HashPolicy.PolicySpecifierOneofCase.Header => new HashPolicy(HashSource.Header, h.Header.HeaderName.ToLowerInvariant(), null, null, h.Terminal),
            RouteAction.Types.HashPolicy.PolicySpecifierOneofCase.Cookie => new HashPolicy(HashSource.Cookie, h.Cookie.Name, DurationBounds.Read(h.Cookie.Ttl, $"{where}.hash_policy.cookie.ttl", errors), h.Cookie.Path, h.Terminal),
            RouteAction.Types.HashPolicy.PolicySpecifierOneofCase.ConnectionProperties => new HashPolicy(HashSource.SourceIp, "", null, null, h.Terminal),
            RouteAction.Types.HashPolicy.PolicySpecifierOneofCase.QueryParameter => new HashPolicy(HashSource.QueryParameter, h.QueryParameter.Name, null, null, h.Terminal),
            _ => null,
        }).OfType<HashPolicy>().ToList();
        var mirrors = action.RequestMirrorPolicies
            .Select(m => new MirrorPolicy(m.Cluster, m.RuntimeFraction?.DefaultValue is { } f ? FractionOf(f) : Fraction.Always))
            .ToList();
        Regex? rewrite = null;
        if (action.RegexRewrite?.Pattern is { } pattern)
        {
            // A rewrite substitutes within the path, so it is not anchored.
            rewrite = SafeRegex.Search(pattern.Regex, out var problem);
            if (rewrite is null) errors.Add($"{where}.regex_rewrite.pattern.regex: {problem}");
        }
        return errors.Count > before ? null : new ForwardAction(clusters, timeout, RetryOf(action.RetryPolicy, $"{where}.retry_policy", errors) ?? IstioDefaultRetry, hashes, mirrors,
            action.PrefixRewrite is { Length: > 0 } prefix ? prefix : null, rewrite, action.RegexRewrite is { } r ? Substitution(r.Substitution) : null,
            action.HostRewriteLiteral is { Length: > 0 } host ? host : null);
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

    /// <summary>Istio writes this retry policy into every route whose VirtualService sets no <c>retries</c>; Mesh's
    /// translator leaves it out for the sake of gRPC clients, so the sidecar applies it to a route that has none. (A
    /// VirtualService with <c>attempts: 0</c> therefore still gets it.)</summary>
    public static RetryPolicy IstioDefaultRetry { get; } = new(
        RetryConditions.Split(RetryConditions.IstioDefaultOn), RetryConditions.IstioDefaultAttempts, null,
        TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(250), RetryConditions.IstioDefaultStatusCodes.ToHashSet());

    private static RetryPolicy? RetryOf(EnvoyRoute.RetryPolicy? policy, string where, List<string> errors)
    {
        if (policy is null) return null;
        var conditions = RetryConditions.Split(policy.RetryOn);
        foreach (var unknown in conditions.Where(c => !RetryConditions.Known.Contains(c)))
        {
            errors.Add($"{where}.retry_on: \"{unknown}\" is not a retry condition");
        }
        var baseInterval = DurationBounds.Wait(DurationBounds.Read(policy.RetryBackOff?.BaseInterval, $"{where}.retry_back_off.base_interval", errors) ?? TimeSpan.FromMilliseconds(25));
        var maxInterval = DurationBounds.Wait(DurationBounds.Read(policy.RetryBackOff?.MaxInterval, $"{where}.retry_back_off.max_interval", errors) ?? baseInterval * 10);
        return new RetryPolicy(conditions, (int)(policy.NumRetries ?? 1),
            DurationBounds.Timeout(DurationBounds.Read(policy.PerTryTimeout, $"{where}.per_try_timeout", errors)),
            baseInterval, maxInterval, policy.RetriableStatusCodes.Select(c => (int)c).ToHashSet());
    }

    private static RedirectAction? RedirectOf(EnvoyRoute.RedirectAction redirect, string where, List<string> errors)
    {
        var status = redirect.ResponseCode switch
        {
            EnvoyRoute.RedirectAction.Types.RedirectResponseCode.MovedPermanently => 301,
            EnvoyRoute.RedirectAction.Types.RedirectResponseCode.Found => 302,
            EnvoyRoute.RedirectAction.Types.RedirectResponseCode.SeeOther => 303,
            EnvoyRoute.RedirectAction.Types.RedirectResponseCode.TemporaryRedirect => 307,
            EnvoyRoute.RedirectAction.Types.RedirectResponseCode.PermanentRedirect => 308,
            _ => 301,
        };
        if (redirect.PathRewriteSpecifierCase == EnvoyRoute.RedirectAction.PathRewriteSpecifierOneofCase.RegexRewrite)
        {
            return Fail<RedirectAction>(errors, $"{where}.regex_rewrite: not supported in redirects (use path_redirect or prefix_rewrite)");
        }
        var before = errors.Count;
        HeaderEditsCompiler.Text(redirect.HostRedirect, $"{where}.host_redirect", errors);
        HeaderEditsCompiler.Text(redirect.PathRedirect, $"{where}.path_redirect", errors);
        HeaderEditsCompiler.Text(redirect.PrefixRewrite, $"{where}.prefix_rewrite", errors);
        HeaderEditsCompiler.Text(redirect.SchemeRedirect, $"{where}.scheme_redirect", errors);
        if (errors.Count > before) return null;
        var scheme = redirect.SchemeRewriteSpecifierCase switch
        {
            EnvoyRoute.RedirectAction.SchemeRewriteSpecifierOneofCase.HttpsRedirect when redirect.HttpsRedirect => "https",
            EnvoyRoute.RedirectAction.SchemeRewriteSpecifierOneofCase.SchemeRedirect => redirect.SchemeRedirect,
            _ => null,
        };
        return new RedirectAction(scheme, redirect.HostRedirect is { Length: > 0 } host ? host : null,
            redirect.PortRedirect > 0 ? (int)redirect.PortRedirect : null,
            redirect.PathRedirect is { Length: > 0 } path ? path : null,
            redirect.PrefixRewrite is { Length: > 0 } prefix ? prefix : null,
            status, redirect.StripQuery);
    }

    private static FaultPolicy FaultOf(HTTPFault fault, string where, List<string> errors)
    {
        var fixedDelay = DurationBounds.Read(fault.Delay?.FixedDelay, $"{where}.delay.fixed_delay", errors);
        TimeSpan? delay = fixedDelay is { } d ? DurationBounds.Wait(d) : null;
        int? http = fault.Abort is { ErrorTypeCase: FaultAbort.ErrorTypeOneofCase.HttpStatus } abort ? (int)abort.HttpStatus : null;
        int? grpc = fault.Abort is { ErrorTypeCase: FaultAbort.ErrorTypeOneofCase.GrpcStatus } grpcAbort ? (int)grpcAbort.GrpcStatus : null;
        return new FaultPolicy(delay, fault.Delay?.Percentage is { } dp ? FractionOf(dp) : Fraction.Always,
            http, grpc, fault.Abort?.Percentage is { } ap ? FractionOf(ap) : Fraction.Always);
    }

    private static Fraction FractionOf(EnvoyType.FractionalPercent percent) => new(percent.Numerator, percent.Denominator switch
    {
        EnvoyType.FractionalPercent.Types.DenominatorType.TenThousand => 10_000u,
        EnvoyType.FractionalPercent.Types.DenominatorType.Million => 1_000_000u,
        _ => 100u,
    });

    private static UpstreamCluster? ClusterOf(Cluster cluster, ClusterLoadAssignment? assignment, List<string> errors)
    {
        var where = $"Cluster {cluster.Name}";
        var hint = cluster.Metadata?.FilterMetadata.TryGetValue(SidecarMetadata.Namespace, out var mesh) == true && mesh.Fields.TryGetValue(SidecarMetadata.LbPolicy, out var policy) ? policy.StringValue : null;
        LbKind? lb = hint switch
        {
            "ROUND_ROBIN" => LbKind.RoundRobin,
            "LEAST_REQUEST" => LbKind.LeastRequest,
            "RANDOM" => LbKind.Random,
            "RING_HASH" => LbKind.RingHash,
            _ => cluster.LbPolicy switch
            {
                Cluster.Types.LbPolicy.RoundRobin => LbKind.RoundRobin,
                Cluster.Types.LbPolicy.LeastRequest => LbKind.LeastRequest,
                Cluster.Types.LbPolicy.Random => LbKind.Random,
                Cluster.Types.LbPolicy.RingHash or Cluster.Types.LbPolicy.Maglev => LbKind.RingHash,
                _ => null,
            },
        };
        if (lb is null) return Fail<UpstreamCluster>(errors, $"{where}: lb_policy {cluster.LbPolicy} is not supported (ROUND_ROBIN, LEAST_REQUEST, RANDOM, RING_HASH, MAGLEV)");
        if (cluster.Type is not (Cluster.Types.DiscoveryType.Eds or Cluster.Types.DiscoveryType.Static or Cluster.Types.DiscoveryType.StrictDns or Cluster.Types.DiscoveryType.LogicalDns))
        {
            return Fail<UpstreamCluster>(errors, $"{where}: type {cluster.Type} is not supported (EDS, STATIC, STRICT_DNS, LOGICAL_DNS)");
        }
        var thresholds = cluster.CircuitBreakers?.Thresholds.FirstOrDefault(t => t.Priority == EnvoyCore.RoutingPriority.Default);
        static int? Limit(uint? value) => value is null || value.Value >= int.MaxValue ? null : (int)value.Value;
        var limits = thresholds is null ? CircuitLimits.Unlimited
            : new CircuitLimits(Limit(thresholds.MaxConnections), Limit(thresholds.MaxPendingRequests), Limit(thresholds.MaxRequests), Limit(thresholds.MaxRetries));
        OutlierPolicy? outlier = null;
        if (cluster.OutlierDetection is { } od)
        {
            var baseEjection = DurationBounds.Wait(DurationBounds.Read(od.BaseEjectionTime, $"{where}.outlier_detection.base_ejection_time", errors) ?? TimeSpan.FromSeconds(30));
            outlier = new OutlierPolicy(
                (int)(od.Consecutive5Xx ?? 5), (od.EnforcingConsecutive5Xx ?? 100) > 0,
                (int)(od.ConsecutiveGatewayFailure ?? 5), (od.EnforcingConsecutiveGatewayFailure ?? 0) > 0,
                baseEjection,
                DurationBounds.Wait(DurationBounds.Read(od.MaxEjectionTime, $"{where}.outlier_detection.max_ejection_time", errors) ?? TimeSpan.FromSeconds(Math.Max(300, baseEjection.TotalSeconds))),
                (int)(od.MaxEjectionPercent ?? 10));
        }
        ActiveHealthCheck? health = null;
        if (cluster.HealthChecks.FirstOrDefault(h => h.HealthCheckerCase == EnvoyCore.HealthCheck.HealthCheckerOneofCase.HttpHealthCheck) is { } check)
        {
            // Envoy requires both above zero.
            var interval = DurationBounds.Read(check.Interval, $"{where}.health_checks.interval", errors) ?? TimeSpan.FromSeconds(5);
            var timeout = DurationBounds.Read(check.Timeout, $"{where}.health_checks.timeout", errors) ?? TimeSpan.FromSeconds(1);
            if (interval <= TimeSpan.Zero) errors.Add($"{where}.health_checks.interval: must be greater than zero");
            if (timeout <= TimeSpan.Zero) errors.Add($"{where}.health_checks.timeout: must be greater than zero");
            health = new ActiveHealthCheck(check.HttpHealthCheck.Path is { Length: > 0 } p ? p : "/",
                DurationBounds.Wait(interval), DurationBounds.Wait(timeout), (int)(check.UnhealthyThreshold ?? 2));
        }
        var endpoints = new List<EndpointModel>();
        foreach (var locality in assignment?.Endpoints ?? [])
        {
            var localityName = string.Join('/', locality.Locality?.Region ?? "", locality.Locality?.Zone ?? "", locality.Locality?.SubZone ?? "").TrimEnd('/');
            foreach (var lbEndpoint in locality.LbEndpoints)
            {
                if (lbEndpoint.Endpoint?.Address?.SocketAddress is not { } socket) continue;
                var meta = lbEndpoint.Metadata?.FilterMetadata.TryGetValue(SidecarMetadata.Namespace, out var found) == true ? found : null;
                var workload = meta is not null && meta.Fields.TryGetValue(SidecarMetadata.Workload, out var w) ? w.StringValue : "";
                var slash = workload.IndexOf('/');
                string Text(string key) => meta is not null && meta.Fields.TryGetValue(key, out var value) ? value.StringValue : "";
                endpoints.Add(new EndpointModel(socket.Address, (int)socket.PortValue, (int)Math.Max(1, lbEndpoint.LoadBalancingWeight ?? 1),
                    localityName,
                    lbEndpoint.HealthStatus is EnvoyCore.HealthStatus.Unknown or EnvoyCore.HealthStatus.Healthy or EnvoyCore.HealthStatus.Degraded,
                    slash > 0 ? workload[(slash + 1)..] : workload, slash > 0 ? workload[..slash] : "")
                {
                    SidecarMtls = Text(SidecarMetadata.TlsMode) == TlsModes.Istio,
                    ServiceAccount = Text(SidecarMetadata.ServiceAccount),
                });
            }
        }
        return new UpstreamCluster(cluster.Name, lb.Value, cluster.RingHashLbConfig?.MinimumRingSize ?? 1024, limits, outlier, health,
            UpstreamProtocols.Of(cluster, where, errors), endpoints)
        {
            Tls = UpstreamTlsCompiler.Compile(cluster, errors),
        };
    }

    /// <summary>SDS <c>ROOTCA</c>: the mesh's roots, PEM, in its validation context.</summary>
    private static Security.TrustBundle? TrustOf(ResourceSet resources, List<string> errors)
    {
        if (resources.Get<Envoy.Extensions.TransportSockets.Tls.V3.Secret>(TypeUrls.Secret, SecretNames.RootCa) is not { } secret) return null;
        var pem = secret.ValidationContext?.TrustedCa?.InlineBytes?.ToStringUtf8() ?? secret.ValidationContext?.TrustedCa?.InlineString ?? "";
        try
        {
            var bundle = Security.TrustBundle.FromPem(pem);
            if (bundle.Roots.Count > 0) return bundle;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
        }
        errors.Add("Secret ROOTCA: validation_context.trusted_ca holds no PEM certificate");
        return null;
    }

    private static T? Fail<T>(List<string> errors, string error) where T : class
    {
        errors.Add(error);
        return null;
    }
}
