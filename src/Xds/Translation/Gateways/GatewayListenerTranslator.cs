using Envoy.Config.Core.V3;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Listener.TlsInspector.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation.Gateways;

/// <summary>The listener <c>gateway|NS|WORKLOAD|PORT</c> of a gateway workload: the servers every gateway that selects
/// the workload runs on the port, as filter chains. Plaintext servers share one chain (HTTP, routes over RDS by the
/// listener's own name); each terminating server gets a chain of its own, matched by SNI, with its certificates;
/// each PASSTHROUGH server a chain per TLS route match, forwarding the bytes by SNI. Two chains with the same SNI
/// names would make Envoy refuse the listener: the first (by gateway key, then server order) is kept.</summary>
internal static class GatewayListenerTranslator
{
    private const string AnyAddress = "0.0.0.0";

    /// <returns>Null when no gateway serves the port (or only PASSTHROUGH servers no TLS route reaches): Envoy
    /// refuses a listener without filter chains, so the listener does not exist.</returns>
    public static Listener? Translate(string workloadNamespace, string workload, int port, GatewayInputs inputs, HttpListenerSettings settings)
    {
        var servers = PortServer.On(inputs, port);
        if (servers.Count == 0) return null;
        var name = XdsNames.GatewayListener(workloadNamespace, workload, port);
        var listener = new Listener
        {
            Name = name,
            Address = new Address { SocketAddress = new SocketAddress { Address = AnyAddress, PortValue = (uint)port } },
        };
        var chains = new List<FilterChain>();
        var http = new HttpChainSettings(name, settings, inputs.Security, ServesCors(servers));
        if (servers.Any(s => !s.Passthrough && s.Server.Tls?.Terminates != true)) chains.Add(HttpChain(http, null));
        foreach (var server in servers.Where(s => s.Server.Tls?.Terminates == true))
        {
            var chain = HttpChain(http, SniNames(server.Server.Hosts));
            chain.TransportSocket = GatewayTlsTranslator.Socket(server.Server.Tls!, workloadNamespace);
            chains.Add(chain);
        }
        chains.AddRange(servers.Where(s => s.Passthrough).SelectMany(s => PassthroughTranslator.Chains(s, port)));
        listener.FilterChains.Add(Distinct(chains));
        if (listener.FilterChains.Count == 0) return null;
        if (listener.FilterChains.Any(c => c.FilterChainMatch?.ServerNames.Count > 0))
        {
            listener.ListenerFilters.Add(new ListenerFilter { Name = EnvoyFilters.TlsInspector, TypedConfig = Any.Pack(new TlsInspector()) });
        }
        return listener;
    }

    /// <summary>The server's hosts as SNI names: without their <c>namespace/</c> part; <c>*</c> matches any name, so
    /// it leaves the list empty (the default chain).</summary>
    public static IReadOnlyList<string> SniNames(IEnumerable<string> hosts)
    {
        var names = hosts.Select(h => Config.Views.Gateways.ServerHost.Parse(h).DnsName.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        return names.Contains("*") ? [] : names;
    }

    /// <summary>Whether a route the port's HTTP servers serve has a CORS policy: one connection manager for all of
    /// the port's chains (they share one route configuration), so one answer for all.</summary>
    private static bool ServesCors(IReadOnlyList<PortServer> servers) => CorsTranslator.AnyPolicy(servers
        .Where(s => !s.Passthrough)
        .SelectMany(s => s.Gateway.Routes.Where(r => r.View.Hosts.Any(h => s.Serves(r, h).Any())))
        .Select(r => r.View));

    private sealed record HttpChainSettings(string Name, HttpListenerSettings Listener,
        IReadOnlyList<Envoy.Extensions.Filters.Network.HttpConnectionManager.V3.HttpFilter> Security, bool Cors);

    private static FilterChain HttpChain(HttpChainSettings http, IReadOnlyList<string>? serverNames)
    {
        var manager = ListenerTranslator.RdsManager(http.Name, http.Name, http.Cors);
        // End-user authentication and authorization at the edge, in Envoy's order: after CORS, before the router.
        for (var i = 0; i < http.Security.Count; i++) manager.HttpFilters.Insert(manager.HttpFilters.Count - 1, http.Security[i]);
        // The gateway is the edge: the client is the connection's peer, or what the trusted proxies in front said.
        http.Listener.ApplyInbound(manager);
        var chain = new FilterChain
        {
            Filters = { new Filter { Name = EnvoyFilters.HttpConnectionManager, TypedConfig = Any.Pack(manager) } },
        };
        if (serverNames is { Count: > 0 }) chain.FilterChainMatch = new FilterChainMatch { ServerNames = { serverNames } };
        return chain;
    }

    private static IEnumerable<FilterChain> Distinct(IEnumerable<FilterChain> chains)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chain in chains)
        {
            var names = chain.FilterChainMatch?.ServerNames.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>();
            if (seen.Add(string.Join(",", names))) yield return chain;
        }
    }
}
