using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.Fault.V3;
using Mesh.Sidecar.Matching;
using Mesh.Xds.Resources;
using EnvoyCore = Envoy.Config.Core.V3;
using EnvoyType = Envoy.Type.V3;
using Route = Envoy.Config.Route.V3.Route;

namespace Mesh.Sidecar.Config;

/// <summary>Compiles a <c>RouteConfiguration</c> (from RDS, or inline in a listener): virtual hosts, their routes'
/// matches on the sidecar's one matcher stack, header edits, faults, and the action (forward, redirect or answer).</summary>
internal static class RouteCompiler
{
    /// <param name="reusable">Routes compiled before, by their config: an equal route is not compiled again (its
    /// compiled object, and what the proxy keeps for it, carries over).</param>
    public static RouteTable? Compile(RouteConfiguration configuration, string where, List<string> errors, IReadOnlyDictionary<Route, RouteEntry>? reusable = null)
    {
        var before = errors.Count;
        CorsCompiler.RefuseElsewhere(configuration.TypedPerFilterConfig, where, errors);
        var hosts = new List<VirtualHostModel>();
        for (var v = 0; v < configuration.VirtualHosts.Count; v++)
        {
            var host = configuration.VirtualHosts[v];
            var path = $"{where}: virtual_hosts[{v}]";
            var routes = new List<RouteEntry>();
            for (var r = 0; r < host.Routes.Count; r++)
            {
                if (reusable is not null && reusable.TryGetValue(host.Routes[r], out var held)) routes.Add(held);
                else if (RouteOf(host.Routes[r], $"{path}.routes[{r}]", errors) is { } route) routes.Add(route);
            }
            CorsCompiler.RefuseElsewhere(host.TypedPerFilterConfig, path, errors);
#pragma warning disable CS0612 // the deprecated field is read only to refuse it
            if (host.Cors is not null) errors.Add($"{path}.cors: deprecated; mesh-sidecar reads a CORS policy from a route's typed_per_filter_config");
#pragma warning restore CS0612
            if (host.RequireTls == VirtualHost.Types.TlsRequirementType.ExternalOnly)
            {
                errors.Add($"{path}.require_tls: EXTERNAL_ONLY is not supported by mesh-sidecar (ALL or NONE)");
            }
            hosts.Add(new VirtualHostModel(host.Name, [.. host.Domains],
                routes, HeaderEditsCompiler.Compile(host.RequestHeadersToAdd, host.RequestHeadersToRemove, host.ResponseHeadersToAdd, host.ResponseHeadersToRemove, path, errors))
            {
                RequireTls = host.RequireTls == VirtualHost.Types.TlsRequirementType.All,
            });
        }
        return errors.Count > before ? null : new RouteTable(configuration.Name, hosts);
    }

    /// <summary>The routes of a table compiled from <paramref name="configuration"/>, by their config (a table
    /// that compiled holds every route of its configuration, in order).</summary>
    public static IReadOnlyDictionary<Route, RouteEntry>? Reusable(RouteConfiguration? configuration, RouteTable? table)
    {
        if (configuration is null || table is null || configuration.VirtualHosts.Count != table.VirtualHosts.Count) return null;
        var routes = new Dictionary<Route, RouteEntry>();
        for (var v = 0; v < configuration.VirtualHosts.Count; v++)
        {
            var (config, compiled) = (configuration.VirtualHosts[v].Routes, table.VirtualHosts[v].Routes);
            if (config.Count != compiled.Count) return null;
            for (var r = 0; r < config.Count; r++) routes.TryAdd(config[r], compiled[r]);
        }
        return routes;
    }

    public static Fraction FractionOf(EnvoyType.FractionalPercent percent) => new(percent.Numerator, percent.Denominator switch
    {
        EnvoyType.FractionalPercent.Types.DenominatorType.TenThousand => 10_000u,
        EnvoyType.FractionalPercent.Types.DenominatorType.Million => 1_000_000u,
        _ => 100u,
    });

    private static RouteEntry? RouteOf(Route route, string where, List<string> errors)
    {
        var before = errors.Count;
        var match = MatcherOf(route.Match, $"{where}.match", errors);
        var headers = HeaderEditsCompiler.Compile(route.RequestHeadersToAdd, route.RequestHeadersToRemove, route.ResponseHeadersToAdd, route.ResponseHeadersToRemove, where, errors);
        FaultPolicy? fault = null;
        if (route.TypedPerFilterConfig.TryGetValue(EnvoyFilters.Fault, out var faultConfig))
        {
            fault = faultConfig.TryUnpack<HTTPFault>(out var parsed) ? FaultOf(parsed, $"{where}.typed_per_filter_config[{EnvoyFilters.Fault}]", errors)
                : errors.Fail<FaultPolicy>($"{where}.typed_per_filter_config[{EnvoyFilters.Fault}]: not an HTTPFault ({faultConfig.TypeUrl})");
        }
        ForwardAction? forward = null;
        RedirectAction? redirect = null;
        DirectResponse? direct = null;
        switch (route.ActionCase)
        {
            case Route.ActionOneofCase.Route_:
                forward = ForwardActionCompiler.Compile(route.Route_, $"{where}.route", errors);
                break;
            case Route.ActionOneofCase.Redirect:
                redirect = RedirectCompiler.Compile(route.Redirect, $"{where}.redirect", errors);
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
#pragma warning disable CS0612 // the deprecated field is read only to refuse it
        if (route.Route_?.Cors is not null) errors.Add($"{where}.route.cors: deprecated; mesh-sidecar reads a CORS policy from typed_per_filter_config");
#pragma warning restore CS0612
        var apiPolicy = ApiPolicyCompiler.Compile(route.TypedPerFilterConfig, where, errors);
        var cors = CorsCompiler.Compile(route.TypedPerFilterConfig, where, errors);
        return errors.Count > before || match is null ? null
            : new RouteEntry(route.Name, match, forward, redirect, direct, headers, fault) { ApiPolicy = apiPolicy, Cors = cors };
    }

    private static RouteMatcher? MatcherOf(RouteMatch? match, string where, List<string> errors)
    {
        if (match is null) return errors.Fail<RouteMatcher>($"{where}: required");
        var before = errors.Count;
        var path = errors.Matcher(() => PathMatch.Compile(match, where));
        var headers = match.Headers.Select((h, i) => errors.Matcher(() => HeaderMatch.Compile(h, $"{where}.headers[{i}]"))).ToList();
        var query = match.QueryParameters.Select((q, i) => errors.Matcher(() => QueryMatch.Compile(q, $"{where}.query_parameters[{i}]"))).ToList();
        Fraction? runtime = match.RuntimeFraction?.DefaultValue is { } fraction ? FractionOf(fraction) : null;
        return errors.Count > before || path is null ? null
            : new RouteMatcher(path, headers.OfType<HeaderMatch>().ToList(), query.OfType<QueryMatch>().ToList(), match.Grpc is not null, runtime);
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
}
