using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using Envoy.Extensions.TransportSockets.Tls.V3;
using Mesh.Xds.Resources;
using TcpProxy = Envoy.Extensions.Filters.Network.TcpProxy.V3.TcpProxy;

namespace Mesh.Sidecar.Config.Gateway;

/// <summary>Compiles a gateway's listener (<c>gateway|NS|WORKLOAD|PORT</c>): the tls_inspector listener filter, and
/// each filter chain's match (server names, transport protocol), its DownstreamTlsContext, and its one network
/// filter, an HTTP connection manager or a tcp_proxy. What mesh-sidecar does not do is refused with its field path.</summary>
internal static class GatewayListenerCompiler
{
    /// <param name="previous">The listener compiled before: a chain whose JWT and RBAC configs are unchanged keeps
    /// their authenticator (with the JWKS it fetched) and engine, as a sidecar's inbound listener does.</param>
    public static GatewayListener? Compile(Listener listener, int port, List<string> errors, GatewayListener? previous = null)
    {
        var before = errors.Count;
        var where = $"Listener {listener.Name}";
        if (listener.Address?.SocketAddress is { } socket && socket.PortValue != port)
        {
            errors.Add($"{where}: address.socket_address.port_value: {socket.PortValue} is not the port the listener is named for ({port})");
        }
        var inspects = false;
        for (var i = 0; i < listener.ListenerFilters.Count; i++)
        {
            if (listener.ListenerFilters[i].Name == EnvoyFilters.TlsInspector) inspects = true;
            else errors.Add($"{where}: listener_filters[{i}]: \"{listener.ListenerFilters[i].Name}\" is not supported by mesh-sidecar ({EnvoyFilters.TlsInspector} only)");
        }
        if (listener.ApiListener is not null) errors.Add($"{where}: api_listener: a gateway listener takes filter_chains");
        var chains = new List<FilterChainModel>();
        var matches = new HashSet<(string ServerName, string Transport)>();
        for (var i = 0; i < listener.FilterChains.Count; i++)
        {
            var path = $"{where}: filter_chains[{i}]";
            if (Chain(listener.FilterChains[i], listener.Name, path, errors, previous) is not { } chain) continue;
            // Envoy refuses two chains with the same match: which one a connection gets would be arbitrary.
            foreach (var serverName in chain.ServerNames.DefaultIfEmpty(""))
            {
                if (!matches.Add((serverName, chain.TransportProtocol)))
                {
                    errors.Add($"{path}.filter_chain_match: another chain already matches server name \"{serverName}\" with transport protocol \"{chain.TransportProtocol}\"");
                }
            }
            chains.Add(chain);
        }
        var fallback = listener.DefaultFilterChain is { } defaultChain ? Chain(defaultChain, listener.Name, $"{where}: default_filter_chain", errors, previous) : null;
        if (fallback is not null && (fallback.ServerNames.Count > 0 || fallback.TransportProtocol.Length > 0))
        {
            errors.Add($"{where}: default_filter_chain.filter_chain_match: the default chain matches nothing of its own");
        }
        return errors.Count > before ? null : new GatewayListener(listener.Name, port, inspects, chains, fallback);
    }

    private static FilterChainModel? Chain(FilterChain chain, string listener, string path, List<string> errors, GatewayListener? previous)
    {
        var before = errors.Count;
        var (serverNames, transport) = Match(chain.FilterChainMatch, $"{path}.filter_chain_match", errors);
        var tls = Tls(chain.TransportSocket, $"{path}.transport_socket", errors);
        ListenerModel? http = null;
        InboundModel? security = null;
        TcpProxyModel? tcp = null;
        if (chain.Filters.Count != 1)
        {
            errors.Add($"{path}.filters: exactly one network filter is supported by mesh-sidecar ({EnvoyFilters.HttpConnectionManager} or {EnvoyFilters.TcpProxy}), has {chain.Filters.Count}");
        }
        else
        {
            var filter = chain.Filters[0];
            var filterPath = $"{path}.filters[0]";
            if (filter.Name == EnvoyFilters.HttpConnectionManager && filter.TypedConfig?.TryUnpack<HttpConnectionManager>(out var manager) == true)
            {
                (http, security) = Http(manager, listener, $"{filterPath}.typed_config", errors, PreviousFilters(previous, serverNames));
            }
            else if (filter.Name == EnvoyFilters.TcpProxy && filter.TypedConfig?.TryUnpack<TcpProxy>(out var proxy) == true)
            {
                tcp = TcpProxyOf(proxy, $"{filterPath}.typed_config", errors);
                if (tls is not null) errors.Add($"{path}.transport_socket: a {EnvoyFilters.TcpProxy} chain that terminates TLS is not supported by mesh-sidecar (passthrough only)");
            }
            else
            {
                errors.Add($"{filterPath}: \"{filter.Name}\" ({filter.TypedConfig?.TypeUrl ?? "no typed_config"}) is not supported by mesh-sidecar ({EnvoyFilters.HttpConnectionManager} or {EnvoyFilters.TcpProxy})");
            }
        }
        return errors.Count > before ? null : new FilterChainModel(chain.Name, serverNames, transport, tls, http, tcp) { Security = security };
    }

    /// <summary>The connection manager's routing, and its JWT and RBAC filters as an inbound listener's (the edge
    /// authenticates and authorizes end users as a sidecar does its callers).</summary>
    private static (ListenerModel? Http, InboundModel? Security) Http(HttpConnectionManager manager, string listener, string path, List<string> errors,
        Security.InboundHttpFilters? previous)
    {
        var security = manager.HttpFilters.Where(f => f.Name is EnvoyFilters.JwtAuthn or EnvoyFilters.Rbac).ToList();
        if (security.Count == 0) return (ListenerCompiler.Compile(manager, listener, path, errors), null);
        var routing = manager.Clone();
        routing.HttpFilters.Clear();
        routing.HttpFilters.Add(manager.HttpFilters.Except(security));
        var http = ListenerCompiler.Compile(routing, listener, path, errors);
        var filters = Security.InboundHttpFilters.Compile(security, path, errors, previous);
        return filters is null ? (http, null)
            : (http, new InboundModel(InboundTransports.Both, new Dictionary<uint, InboundTransports>(), filters) { ClientAddress = Security.ClientAddress.Of(manager) });
    }

    /// <summary>The security filters of the previous chain with the same server names, else of any previous chain
    /// (a gateway's HTTP chains all carry the workload's filters); reused only if their configs are equal.</summary>
    private static Security.InboundHttpFilters? PreviousFilters(GatewayListener? previous, IReadOnlyList<string> serverNames)
    {
        if (previous is null) return null;
        var chains = previous.Chains.Append(previous.Default).OfType<FilterChainModel>().Where(c => c.Security is not null).ToList();
        return (chains.FirstOrDefault(c => c.ServerNames.SequenceEqual(serverNames)) ?? chains.FirstOrDefault())?.Security!.Filters;
    }

    private static (IReadOnlyList<string> ServerNames, string Transport) Match(FilterChainMatch? match, string path, List<string> errors)
    {
        if (match is null) return ([], "");
        if (match.DestinationPort is not null) errors.Add($"{path}.destination_port: not supported by mesh-sidecar (one listener per port)");
        if (match.PrefixRanges.Count > 0) errors.Add($"{path}.prefix_ranges: not supported by mesh-sidecar");
        if (match.DirectSourcePrefixRanges.Count > 0) errors.Add($"{path}.direct_source_prefix_ranges: not supported by mesh-sidecar");
        if (match.SourcePrefixRanges.Count > 0) errors.Add($"{path}.source_prefix_ranges: not supported by mesh-sidecar");
        if (match.SourcePorts.Count > 0) errors.Add($"{path}.source_ports: not supported by mesh-sidecar");
        if (match.SourceType != FilterChainMatch.Types.ConnectionSourceType.Any) errors.Add($"{path}.source_type: not supported by mesh-sidecar");
        if (match.ApplicationProtocols.Count > 0) errors.Add($"{path}.application_protocols: not supported by mesh-sidecar");
        if (match.TransportProtocol is not ("" or FilterChainModel.TlsTransport or FilterChainModel.RawBufferTransport))
        {
            errors.Add($"{path}.transport_protocol: \"{match.TransportProtocol}\" is not supported by mesh-sidecar (tls or raw_buffer)");
        }
        var names = new List<string>();
        for (var i = 0; i < match.ServerNames.Count; i++)
        {
            var name = match.ServerNames[i].ToLowerInvariant();
            // Envoy's wildcard is a whole left-most label: *.example.com, never *example.com or a.*.com.
            if (name.Length == 0 || name.IndexOf('*', 1) >= 0 || (name.StartsWith('*') && (!name.StartsWith("*.", StringComparison.Ordinal) || name.Length < 3)))
            {
                errors.Add($"{path}.server_names[{i}]: \"{match.ServerNames[i]}\" is not a server name or a *.suffix wildcard");
            }
            else names.Add(name);
        }
        return (names, match.TransportProtocol);
    }

    private static DownstreamTls? Tls(Envoy.Config.Core.V3.TransportSocket? socket, string path, List<string> errors)
    {
        if (socket is null || socket.Name == EnvoyFilters.RawBufferTransportSocket) return null;
        if (socket.Name != EnvoyFilters.TlsTransportSocket)
        {
            return errors.Fail<DownstreamTls>($"{path}.name: \"{socket.Name}\" is not supported by mesh-sidecar ({EnvoyFilters.TlsTransportSocket})");
        }
        if (socket.TypedConfig?.TryUnpack<DownstreamTlsContext>(out var context) != true)
        {
            return errors.Fail<DownstreamTls>($"{path}.typed_config: not a DownstreamTlsContext ({socket.TypedConfig?.TypeUrl ?? "none"})");
        }
        return DownstreamTlsCompiler.Compile(context, $"{path}.typed_config", errors);
    }

    private static TcpProxyModel? TcpProxyOf(TcpProxy proxy, string path, List<string> errors)
    {
        var before = errors.Count;
        if (proxy.TunnelingConfig is not null) errors.Add($"{path}.tunneling_config: not supported by mesh-sidecar");
        if (proxy.HashPolicy.Count > 0) errors.Add($"{path}.hash_policy: not supported by mesh-sidecar");
        if (proxy.MetadataMatch is not null) errors.Add($"{path}.metadata_match: not supported by mesh-sidecar");
        if (proxy.OnDemand is not null) errors.Add($"{path}.on_demand: not supported by mesh-sidecar");
        if (proxy.IdleTimeout is not null) errors.Add($"{path}.idle_timeout: not supported by mesh-sidecar (connections are closed by their ends)");
        if (proxy.MaxDownstreamConnectionDuration is not null) errors.Add($"{path}.max_downstream_connection_duration: not supported by mesh-sidecar");
        var clusters = proxy.ClusterSpecifierCase switch
        {
            TcpProxy.ClusterSpecifierOneofCase.Cluster when proxy.Cluster.Length > 0 => [new WeightedCluster(proxy.Cluster, 1, HeaderEdits.None)],
            TcpProxy.ClusterSpecifierOneofCase.WeightedClusters when proxy.WeightedClusters.Clusters.Count > 0 && proxy.WeightedClusters.Clusters.All(c => c.Name.Length > 0)
                => proxy.WeightedClusters.Clusters.Select(c => new WeightedCluster(c.Name, c.Weight, HeaderEdits.None)).ToList(),
            _ => errors.Fail<List<WeightedCluster>>($"{path}: cluster or weighted_clusters (each with a name) is required"),
        };
        return errors.Count > before || clusters is null ? null : new TcpProxyModel(clusters);
    }

    /// <summary>The route configurations (RDS) and clusters (tcp_proxy) a gateway listener's chains refer to.</summary>
    public static (IEnumerable<string> Routes, IEnumerable<string> Clusters, IEnumerable<string> Secrets) References(Listener listener)
    {
        var routes = new List<string>();
        var clusters = new List<string>();
        var secrets = new List<string>();
        foreach (var chain in listener.FilterChains.Append(listener.DefaultFilterChain).OfType<FilterChain>())
        {
            foreach (var filter in chain.Filters)
            {
                if (filter.Name == EnvoyFilters.HttpConnectionManager && filter.TypedConfig?.TryUnpack<HttpConnectionManager>(out var manager) == true
                    && manager.RouteSpecifierCase == HttpConnectionManager.RouteSpecifierOneofCase.Rds)
                {
                    routes.Add(manager.Rds.RouteConfigName);
                }
                else if (filter.Name == EnvoyFilters.TcpProxy && filter.TypedConfig?.TryUnpack<TcpProxy>(out var proxy) == true)
                {
                    if (proxy.Cluster.Length > 0) clusters.Add(proxy.Cluster);
                    if (proxy.WeightedClusters is { } weighted) clusters.AddRange(weighted.Clusters.Select(c => c.Name).Where(n => n.Length > 0));
                }
            }
            if (chain.TransportSocket?.TypedConfig?.TryUnpack<DownstreamTlsContext>(out var tls) == true && tls.CommonTlsContext is { } common)
            {
                secrets.AddRange(common.TlsCertificateSdsSecretConfigs.Select(s => s.Name));
                if (common.ValidationContextSdsSecretConfig?.Name is { Length: > 0 } ca) secrets.Add(ca);
                if (common.CombinedValidationContext?.ValidationContextSdsSecretConfig?.Name is { Length: > 0 } combined) secrets.Add(combined);
            }
        }
        return (routes.Distinct(StringComparer.Ordinal), clusters.Distinct(StringComparer.Ordinal), secrets.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal));
    }
}
