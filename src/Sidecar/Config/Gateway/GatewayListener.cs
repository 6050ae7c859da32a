using System.Collections.Frozen;

namespace Mesh.Sidecar.Config.Gateway;

/// <summary>A gateway's listener on one port: its filter chains, chosen per connection as Envoy chooses them (server
/// name, then transport protocol), and whether it reads the TLS ClientHello to know them.</summary>
public sealed class GatewayListener
{
    private readonly FrozenDictionary<string, IReadOnlyList<FilterChainModel>> _exact;
    private readonly FrozenDictionary<string, IReadOnlyList<FilterChainModel>> _wildcard;
    private readonly IReadOnlyList<FilterChainModel> _anyName;

    public GatewayListener(string name, int port, bool inspectsTls, IReadOnlyList<FilterChainModel> chains, FilterChainModel? defaultChain)
    {
        Name = name;
        Port = port;
        InspectsTls = inspectsTls;
        Chains = chains;
        Default = defaultChain;
        var exact = new Dictionary<string, List<FilterChainModel>>(StringComparer.Ordinal);
        var wildcard = new Dictionary<string, List<FilterChainModel>>(StringComparer.Ordinal);
        foreach (var chain in chains)
        {
            foreach (var serverName in chain.ServerNames)
            {
                var into = serverName.StartsWith("*.", StringComparison.Ordinal) ? wildcard : exact;
                var key = serverName.StartsWith("*.", StringComparison.Ordinal) ? serverName[1..] : serverName;
                if (!into.TryGetValue(key, out var list)) into[key] = list = [];
                list.Add(chain);
            }
        }
        _exact = exact.ToFrozenDictionary(p => p.Key, p => (IReadOnlyList<FilterChainModel>)p.Value, StringComparer.Ordinal);
        _wildcard = wildcard.ToFrozenDictionary(p => p.Key, p => (IReadOnlyList<FilterChainModel>)p.Value, StringComparer.Ordinal);
        _anyName = chains.Where(c => c.ServerNames.Count == 0).ToList();
    }

    /// <summary><c>gateway|NAMESPACE|WORKLOAD|PORT</c>.</summary>
    public string Name { get; }

    public int Port { get; }

    /// <summary>The listener has Envoy's tls_inspector: the ClientHello is read (not consumed) for its server name.</summary>
    public bool InspectsTls { get; }

    public IReadOnlyList<FilterChainModel> Chains { get; }

    /// <summary>Envoy's default_filter_chain: what a connection no chain matches gets (none: it is closed).</summary>
    public FilterChainModel? Default { get; }

    /// <summary>The chain for a connection, as Envoy's filter chain match narrows: the exact server name, else the
    /// longest <c>*.suffix</c> wildcard, else the chains without server names; among those, the one for the
    /// connection's transport protocol (<c>tls</c> or <c>raw_buffer</c>), else the one that names none. Null when
    /// nothing matches and there is no default chain.</summary>
    /// <param name="serverName">The ClientHello's SNI (lowercase), or null.</param>
    public FilterChainModel? Select(string? serverName, bool tls)
    {
        var candidates = serverName is null ? null : ByServerName(serverName);
        candidates ??= _anyName;
        var transport = tls ? FilterChainModel.TlsTransport : FilterChainModel.RawBufferTransport;
        FilterChainModel? anyTransport = null;
        foreach (var chain in candidates)
        {
            if (chain.TransportProtocol == transport) return chain;
            if (chain.TransportProtocol.Length == 0) anyTransport = chain;
        }
        return anyTransport ?? Default;
    }

    private IReadOnlyList<FilterChainModel>? ByServerName(string serverName)
    {
        if (_exact.TryGetValue(serverName, out var exact)) return exact;
        // a.b.example.com: *.b.example.com, then *.example.com, then *.com (a wildcard never matches the bare suffix).
        for (var dot = serverName.IndexOf('.'); dot >= 0; dot = serverName.IndexOf('.', dot + 1))
        {
            if (_wildcard.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(serverName.AsSpan(dot), out var wildcard)) return wildcard;
        }
        return null;
    }
}

/// <summary>One filter chain: what it matches (server names, transport protocol), the TLS it terminates (none for
/// plain text and for passthrough), and what carries the connection: HTTP routing or a TCP proxy to a cluster.</summary>
public sealed record FilterChainModel(
    string Name,
    IReadOnlyList<string> ServerNames,
    string TransportProtocol,
    DownstreamTls? Tls,
    ListenerModel? Http,
    TcpProxyModel? Tcp)
{
    /// <summary>The HTTP connection manager's JWT and RBAC filters (the gateway workload's RequestAuthentication and
    /// AuthorizationPolicy), every transport accepted; null when it has none.</summary>
    public InboundModel? Security { get; init; }

    /// <summary>Envoy's transport protocols: a TLS ClientHello came first, or anything else.</summary>
    public const string TlsTransport = "tls";
    public const string RawBufferTransport = "raw_buffer";
}

/// <summary>Envoy's tcp_proxy: the connection's bytes go to an endpoint of one of these clusters, by weight.</summary>
public sealed record TcpProxyModel(IReadOnlyList<WeightedCluster> Clusters)
{
    public uint TotalWeight { get; } = (uint)Clusters.Sum(c => (long)c.Weight);

    public WeightedCluster Pick(double roll) => WeightedCluster.Pick(Clusters, roll, TotalWeight);
}
