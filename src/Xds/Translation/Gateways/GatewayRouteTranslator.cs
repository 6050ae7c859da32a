using Envoy.Config.Route.V3;
using Mesh.Xds.Resources;
using Mesh.Xds.Translation.ApiPolicies;

namespace Mesh.Xds.Translation.Gateways;

/// <summary>The route configuration <c>gateway|NS|WORKLOAD|PORT</c>: one virtual host per name the port's HTTP servers
/// serve to a bound VirtualService (the intersection of a server host and a VirtualService host), with that
/// VirtualService's <c>http</c> routes translated as sidecars translate them (<see cref="HttpRouteTranslator"/>);
/// several VirtualServices for one name add their routes in key order. A name served by a plaintext server with
/// <c>httpsRedirect</c> requires TLS (Envoy answers 301 to https). The ApiPolicies that apply to a route there go in
/// its <c>typed_per_filter_config</c>.</summary>
internal static class GatewayRouteTranslator
{
    public static RouteConfiguration? Translate(string workloadNamespace, string workload, int port, GatewayInputs inputs)
    {
        var servers = PortServer.On(inputs, port).Where(s => !s.Passthrough).ToList();
        if (servers.Count == 0) return null;
        var hosts = new SortedDictionary<string, (List<Route> Routes, bool RequireTls)>(StringComparer.Ordinal);
        var added = new HashSet<(string Name, string Route)>();
        foreach (var server in servers)
        {
            var redirect = server.Server.Tls is { HttpsRedirect: true, Terminates: false };
            foreach (var route in server.Gateway.Routes.Where(r => r.View.Http.Count > 0))
            {
                foreach (var name in route.View.Hosts.SelectMany(h => server.Serves(route, h)).Distinct(StringComparer.Ordinal))
                {
                    var context = server.Context(route, name, port);
                    // Two servers of the port may serve the same name to the same VirtualService: its routes once.
                    var routes = added.Add((name, route.Key)) ? HttpRouteTranslator.Translate(route.View.Http, context) : [];
                    ApiPolicyTranslator.Apply(routes, ApiPolicyInput.Applying(inputs.ApiPolicies, server.Gateway, route, name));
                    hosts[name] = hosts.TryGetValue(name, out var known)
                        ? ([.. known.Routes, .. routes], known.RequireTls || redirect)
                        : ([.. routes], redirect);
                }
            }
        }
        var configuration = new RouteConfiguration { Name = XdsNames.GatewayListener(workloadNamespace, workload, port) };
        foreach (var (name, (routes, requireTls)) in hosts)
        {
            var virtualHost = new VirtualHost { Name = XdsNames.Listener(name, port), Routes = { routes } };
            virtualHost.Domains.Add(name == "*" ? ["*"] : [name, XdsNames.Listener(name, port)]);
            if (requireTls) virtualHost.RequireTls = VirtualHost.Types.TlsRequirementType.All;
            configuration.VirtualHosts.Add(virtualHost);
        }
        return configuration;
    }
}
