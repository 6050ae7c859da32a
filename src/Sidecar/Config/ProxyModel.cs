using System.Collections.Immutable;

namespace Mesh.Sidecar.Config;

/// <summary>What the proxy serves from, compiled from a <see cref="ResourceSet"/>: immutable, and swapped whole,
/// so a request holds one consistent model from start to end whatever arrives meanwhile.</summary>
public sealed record ProxyModel(
    ResourceSet Resources,
    ImmutableDictionary<string, ListenerModel> Listeners,
    ImmutableDictionary<string, RouteTable> Routes,
    ImmutableDictionary<string, UpstreamCluster> Clusters)
{
    public static ProxyModel Empty { get; } = new(ResourceSet.Empty,
        ImmutableDictionary<string, ListenerModel>.Empty,
        ImmutableDictionary<string, RouteTable>.Empty,
        ImmutableDictionary<string, UpstreamCluster>.Empty);

    /// <summary>The workload's inbound listener (mTLS mode and policy); null until the control plane sent one.</summary>
    public InboundModel? Inbound { get; init; }

    /// <summary>The route tables, clusters and EDS assignments the resources refer to: what the proxy subscribes to.</summary>
    public ModelReferences References { get; init; } = ModelReferences.Empty;

    /// <summary>The mesh's roots from SDS <c>ROOTCA</c>; null until sent.</summary>
    public Security.TrustedRoots? TrustedRoots { get; init; }

    /// <summary>A gateway's listeners, by name (<c>gateway|NS|WORKLOAD|PORT</c>).</summary>
    public ImmutableDictionary<string, Gateway.GatewayListener> Gateways { get; init; } = ImmutableDictionary<string, Gateway.GatewayListener>.Empty;

    /// <summary>The SDS secrets a gateway's chains terminate TLS with, by name; a chain whose secret is not here yet
    /// refuses handshakes.</summary>
    public ImmutableDictionary<string, Gateway.TlsSecret> Secrets { get; init; } = ImmutableDictionary<string, Gateway.TlsSecret>.Empty;
}

/// <summary>An HTTP listener: the route configuration it uses (by RDS name, or inline) and whether it injects faults.</summary>
public sealed record ListenerModel(string Name, string RouteConfigName, RouteTable? InlineRoutes, bool FaultFilter)
{
    /// <summary>What the listener does to a request's path before routing.</summary>
    public Proxy.Paths.PathNormalization Paths { get; init; } = Proxy.Paths.PathNormalization.None;
}
