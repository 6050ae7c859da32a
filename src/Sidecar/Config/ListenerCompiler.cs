using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Mesh.Xds.Resources;

namespace Mesh.Sidecar.Config;

/// <summary>Compiles an outbound HTTP listener: its route configuration (by RDS name, or inline), its HTTP filters
/// (fault, CORS and the router; anything else must be optional) and its path normalization.</summary>
internal static class ListenerCompiler
{
    private static readonly HashSet<string> KnownFilters = [EnvoyFilters.Fault, EnvoyFilters.Router, EnvoyFilters.Cors];

    public static ListenerModel? Compile(Listener listener, List<string> errors)
    {
        var where = $"Listener {listener.Name}";
        if (Manager(listener) is not { } manager)
        {
            errors.Add($"{where}: no HTTP connection manager (in api_listener or a filter chain); only HTTP listeners are supported");
            return null;
        }
        return Compile(manager, listener.Name, where, errors);
    }

    /// <summary>An HTTP connection manager of listener <paramref name="name"/> (<paramref name="where"/> is its path).</summary>
    public static ListenerModel? Compile(HttpConnectionManager manager, string name, string where, List<string> errors)
    {
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
            HttpConnectionManager.RouteSpecifierOneofCase.Rds => new ListenerModel(name, manager.Rds.RouteConfigName, null, fault),
            HttpConnectionManager.RouteSpecifierOneofCase.RouteConfig => RouteCompiler.Compile(manager.RouteConfig, $"{where}: route_config", errors) is { } inline
                ? new ListenerModel(name, inline.Name, inline, fault)
                : null,
            _ => errors.Fail<ListenerModel>($"{where}: route_specifier: only rds and route_config are supported"),
        };
        return model is null ? null : model with { Paths = Proxy.Paths.PathNormalization.Of(manager) };
    }

    /// <summary>The listener's HTTP connection manager: in its api_listener (gRPC's form) or a filter chain.</summary>
    public static HttpConnectionManager? Manager(Listener listener)
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
}
