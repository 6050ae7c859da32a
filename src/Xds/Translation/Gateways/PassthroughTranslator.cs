using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.TcpProxy.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation.Gateways;

/// <summary>A PASSTHROUGH server → one filter chain per VirtualService <c>tls</c> route match that reaches it: matched by
/// the SNI names the match and the server both cover, forwarding the connection untouched (tcp_proxy) to the route's
/// destinations. The gateway never terminates such TLS.</summary>
internal static class PassthroughTranslator
{
    public static IEnumerable<FilterChain> Chains(PortServer server, int port)
    {
        foreach (var route in server.Gateway.Routes)
        {
            foreach (var tls in route.View.Tls)
            {
                var context = server.Context(route, "", port);
                foreach (var match in tls.Match)
                {
                    if (match.Port is { } p && p != port) continue;
                    if (!context.Binds(match.Gateways)) continue;
                    var names = match.SniHosts.SelectMany(sni => server.Serves(route, sni)).Distinct(StringComparer.Ordinal).ToList();
                    if (names.Count == 0 || TcpProxy(context, tls.Route, $"{route.Key}:{port}") is not { } proxy) continue;
                    var chain = new FilterChain
                    {
                        Filters = { new Filter { Name = EnvoyFilters.TcpProxy, TypedConfig = Any.Pack(proxy) } },
                    };
                    // A wildcard SNI name matches any name: the default chain, as for a terminating server.
                    if (!names.Contains("*")) chain.FilterChainMatch = new FilterChainMatch { ServerNames = { names } };
                    yield return chain;
                }
            }
        }
    }

    private static TcpProxy? TcpProxy(RouteContext context, IReadOnlyList<Config.Views.VirtualServices.RouteDestination> route, string statPrefix)
    {
        var weighted = DestinationTranslator.Weighted(route);
        if (weighted.Count == 0) return null;
        var proxy = new TcpProxy { StatPrefix = statPrefix };
        if (weighted.Count == 1)
        {
            proxy.Cluster = context.ClusterOf(weighted[0].Destination);
            return proxy;
        }
        proxy.WeightedClusters = new TcpProxy.Types.WeightedCluster();
        proxy.WeightedClusters.Clusters.Add(weighted.Select(d => new TcpProxy.Types.WeightedCluster.Types.ClusterWeight
        {
            Name = context.ClusterOf(d.Destination),
            Weight = (uint)d.Weight!.Value,
        }));
        return proxy;
    }
}
