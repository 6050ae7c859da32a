using Envoy.Config.Route.V3;
using Mesh.Config.Validation.Rules;
using Mesh.Grains.Services;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation;

/// <summary>Route configuration <c>HOST:PORT</c>: one virtual host with the routes of the first VirtualService (by key)
/// bound to the mesh, or a single default route to the whole service.</summary>
internal static class RouteTranslator
{

    public static RouteConfiguration Translate(ServiceModel model, int port)
    {
        var name = XdsNames.Route(model.Host, port);
        var virtualHost = new VirtualHost { Name = name };
        virtualHost.Domains.Add(Domains(model.Host, port, model.Addresses));
        var routes = VirtualServiceRoutes(model, port);
        virtualHost.Routes.Add(routes.Count > 0 ? routes : [DefaultRoute(model.Host, port)]);
        var configuration = new RouteConfiguration { Name = name };
        configuration.VirtualHosts.Add(virtualHost);
        return configuration;
    }

    /// <summary>The host and <c>HOST:PORT</c>, and for a Kubernetes service the short forms Istio adds
    /// (<c>reviews</c>, <c>reviews.bookinfo</c>, <c>reviews.bookinfo.svc</c>), then the service's VIPs (an application
    /// calling <c>http://10.96.0.5:9080/</c>), each with and without the port.</summary>
    public static IReadOnlyList<string> Domains(string host, int port, IReadOnlyList<string>? addresses = null)
        => HostNames.Names(host).Concat(addresses?.Select(Authority) ?? [])
            .SelectMany(n => new[] { n, XdsNames.Listener(n, port) }).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>An IPv6 VIP is bracketed in an authority, as in a Host header.</summary>
    private static string Authority(string address) => address.Contains(':') ? $"[{address}]" : address;

    /// <summary>The default route: everything to <c>outbound|PORT||HOST</c>, no timeout of its own.</summary>
    public static Route DefaultRoute(string host, int port) => new()
    {
        Name = "default",
        Match = MatchTranslator.CatchAll(),
        Route_ = new RouteAction { Cluster = XdsNames.Cluster(port, "", host) },
    };

    private static List<Route> VirtualServiceRoutes(ServiceModel model, int port)
    {
        // model.VirtualServices is ordered by key; the first one bound to the mesh wins, as in Istio.
        foreach (var virtualService in model.VirtualServices)
        {
            var view = SpecViews.VirtualService(virtualService);
            if (!view.AppliesToMesh) continue;
            var context = RouteContext.Mesh(model, port, virtualService);
            return HttpRouteTranslator.Translate(view.Http, context);
        }
        return [];
    }
}
