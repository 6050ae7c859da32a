using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Http.Fault.V3;
using Envoy.Extensions.Filters.Http.Router.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation;

/// <summary>The API listener a proxyless gRPC client resolves <c>xds:///HOST:PORT</c> to.</summary>
internal static class ListenerTranslator
{

    /// <param name="cors">Whether a route of the listener has a CORS policy (<see cref="CorsTranslator.AnyPolicy"/>).</param>
    /// <param name="routeHost">The host whose route configuration serves the listener, when <paramref name="host"/> is
    /// one of its VIPs (<see cref="Mesh.Grains.Services.ServiceModel.AliasOf"/>); the listener's own host otherwise.</param>
    public static Listener Translate(string host, int port, HttpListenerSettings settings, bool cors = false, string? routeHost = null)
    {
        var name = XdsNames.Listener(host, port);
        var manager = RdsManager(name, XdsNames.Route(routeHost ?? host, port), cors);
        // Sidecars normalize paths as the mesh says; gRPC clients ignore these fields.
        settings.ApplyPaths(manager);
        return new Listener
        {
            Name = name,
            ApiListener = new ApiListener { ApiListener_ = Any.Pack(manager) },
        };
    }

    /// <summary>An HttpConnectionManager that takes its routes over ADS from <paramref name="routeName"/>, with the
    /// CORS filter first when <paramref name="cors"/> (as Istio orders it: a preflight is answered before faults).</summary>
    public static HttpConnectionManager RdsManager(string statPrefix, string routeName, bool cors)
    {
        var manager = new HttpConnectionManager
        {
            StatPrefix = statPrefix,
            Rds = new Rds { ConfigSource = ProtoValues.Ads(), RouteConfigName = routeName },
        };
        // C-core NACKs a listener without HTTP filters; the router must come last (gRFC A39). The empty fault filter
        // does nothing until a route overrides it with typed_per_filter_config.
        if (cors) manager.HttpFilters.Add(CorsTranslator.Filter());
        manager.HttpFilters.Add(new HttpFilter { Name = EnvoyFilters.Fault, TypedConfig = Any.Pack(new HTTPFault()) });
        manager.HttpFilters.Add(new HttpFilter { Name = EnvoyFilters.Router, TypedConfig = Any.Pack(new Router()) });
        return manager;
    }
}
