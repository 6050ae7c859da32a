using Mesh.Config.Validation.Rules;
using Mesh.Config.Views.Gateways;
using Mesh.Config.Views.VirtualServices;

namespace Mesh.Xds.Translation.Gateways;

/// <summary>A gateway resource as the gateway translators see it, whatever its source (Istio's Gateway, or the Gateway
/// API converted into the same views): where it lives, its servers, and the routes bound to it, ordered by key.</summary>
public sealed record BoundGateway(string Namespace, string Name, GatewayView View, IReadOnlyList<BoundRoute> Routes)
{
    /// <summary>How a VirtualService's <c>gateways:</c> names it: <c>namespace/name</c>.</summary>
    public string Ref => $"{Namespace}/{Name}";
}

/// <summary>A route bound to a gateway: its key, its namespace (short hosts qualify in it), and its view.</summary>
public sealed record BoundRoute(string Key, string Namespace, VirtualServiceView View);

/// <summary>What the gateway translators read: the gateways that select the workload, in key order, and the port of
/// each destination service with a single port (see <see cref="RouteContext.ServicePorts"/>).</summary>
public sealed record GatewayInputs(IReadOnlyList<BoundGateway> Gateways, IReadOnlyDictionary<string, int> ServicePorts)
{
    /// <summary>The gateway workload's own JWT and RBAC filters (RequestAuthentication and AuthorizationPolicy that
    /// select it, as a sidecar's inbound listener has them), run on every HTTP request before its route.</summary>
    public IReadOnlyList<Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpFilter> Security { get; init; } = [];
    /// <summary>Every ApiPolicy; each applies where its targets say (<see cref="ApiPolicies.ApiPolicyInput.AppliesTo"/>).</summary>
    public IReadOnlyList<ApiPolicies.ApiPolicyInput> ApiPolicies { get; init; } = [];

    public static GatewayInputs Of(params BoundGateway[] gateways) => new(gateways, new Dictionary<string, int>());

    /// <summary>The destination hosts (qualified) that name no port: their service's port is needed.</summary>
    public static IEnumerable<string> PortlessHosts(IEnumerable<BoundGateway> gateways) => gateways
        .SelectMany(g => g.Routes)
        .SelectMany(r => r.View.Destinations().Where(d => d.Destination.Port is null && d.Destination.Host.Length > 0)
            .Select(d => HostNames.Qualify(d.Destination.Host, r.Namespace)))
        .Distinct(StringComparer.Ordinal);
}

/// <summary>One server of one gateway on the port being translated.</summary>
internal sealed record PortServer(BoundGateway Gateway, GatewayServer Server, IReadOnlyDictionary<string, int> ServicePorts)
{
    /// <summary>The servers of every gateway that listen on <paramref name="port"/>, gateways in the order given.</summary>
    public static IReadOnlyList<PortServer> On(GatewayInputs inputs, int port) =>
        [.. inputs.Gateways.SelectMany(g => g.View.Servers.Where(s => s.Port.Number == port).Select(s => new PortServer(g, s, inputs.ServicePorts)))];

    public bool Passthrough => Server.Tls?.Passthrough == true;

    /// <summary>The names this server serves to a route host of <paramref name="route"/>: each intersection of the
    /// host (qualified in the route's namespace) with a server host that admits the route's namespace.</summary>
    public IEnumerable<string> Serves(BoundRoute route, string routeHost)
    {
        var host = HostNames.Qualify(routeHost, route.Namespace);
        return Server.Hosts.Select(ServerHost.Parse)
            .Where(h => h.Admits(route.Namespace, Gateway.Namespace))
            .Select(h => h.Intersect(host))
            .OfType<string>()
            .Select(n => n.ToLowerInvariant());
    }

    /// <summary>What a route context on this server needs: the host of destinations without one, and which gateway.</summary>
    public RouteContext Context(BoundRoute route, string host, int port) =>
        new(host, port, route.Namespace, null, null) { Gateway = Gateway.Ref, ServicePorts = ServicePorts, VirtualService = route.Key };
}
