using Mesh.Xds.Resources;
using Envoy.Config.Listener.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;

namespace Mesh.Sidecar.Config;

/// <summary>Compiles the workload's inbound listener (<c>virtualInbound|NS|WORKLOAD</c>): each filter chain matches a
/// transport (<c>tls</c> or <c>raw_buffer</c>) and optionally a port; the HTTP filters before the router are the
/// workload's policy, the same on every chain.</summary>
internal static class InboundCompiler
{
    /// <param name="previous">The inbound listener compiled before: a JWT or RBAC config it already had keeps its
    /// compiled filter (and the keys that filter fetched).</param>
    public static InboundModel? Compile(Listener listener, List<string> errors, InboundModel? previous = null)
    {
        var where = $"Listener {listener.Name}";
        var defaults = InboundTransports.None;
        var ports = new Dictionary<uint, InboundTransports>();
        HttpConnectionManager? manager = null;
        foreach (var chain in listener.FilterChains)
        {
            var transport = chain.FilterChainMatch?.TransportProtocol switch
            {
                "tls" => InboundTransports.MutualTls,
                "raw_buffer" or "" or null => InboundTransports.Plaintext,
                var other => Unsupported(errors, $"{where}: filter_chains[{chain.Name}].filter_chain_match.transport_protocol: '{other}' is not tls or raw_buffer"),
            };
            if (transport == InboundTransports.MutualTls && chain.TransportSocket is null)
            {
                errors.Add($"{where}: filter_chains[{chain.Name}]: a tls chain needs a transport_socket");
            }
            if (chain.FilterChainMatch?.DestinationPort is { } port) ports[port] = (ports.TryGetValue(port, out var known) ? known : InboundTransports.None) | transport;
            else defaults |= transport;
            var filter = chain.Filters.FirstOrDefault(f => f.Name == EnvoyFilters.HttpConnectionManager);
            if (filter?.TypedConfig is null || !filter.TypedConfig.TryUnpack<HttpConnectionManager>(out var hcm))
            {
                errors.Add($"{where}: filter_chains[{chain.Name}]: needs an {EnvoyFilters.HttpConnectionManager}");
                continue;
            }
            manager ??= hcm;
        }
        if (listener.FilterChains.Count == 0) errors.Add($"{where}: has no filter_chains");
        var filters = manager is null ? Security.InboundHttpFilters.None : Security.InboundHttpFilters.Compile(manager.HttpFilters, where, errors, previous?.Filters);
        if (filters is null) return null;
        return new InboundModel(defaults, ports, filters)
        {
            Paths = manager is null ? Proxy.Paths.PathNormalization.None : Proxy.Paths.PathNormalization.Of(manager),
            ClientAddress = manager is null ? Security.ClientAddress.Peer : Security.ClientAddress.Of(manager),
        };
    }

    private static InboundTransports Unsupported(List<string> errors, string error)
    {
        errors.Add(error);
        return InboundTransports.None;
    }
}
