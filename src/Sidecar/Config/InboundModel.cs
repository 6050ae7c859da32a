namespace Mesh.Sidecar.Config;

/// <summary>Which transports the inbound listener accepts: mutual TLS from the mesh, plain text, or both
/// (PeerAuthentication STRICT, DISABLE, PERMISSIVE).</summary>
[Flags]
public enum InboundTransports
{
    None = 0,
    MutualTls = 1,
    Plaintext = 2,
    Both = MutualTls | Plaintext,
}

/// <summary>The workload's inbound listener, compiled: the transports it accepts (per port where a port-level mode
/// differs) and the HTTP policy every request passes (JWT authentication, then authorization).</summary>
public sealed record InboundModel(InboundTransports Default, IReadOnlyDictionary<uint, InboundTransports> Ports, Security.InboundHttpFilters Filters)
{
    /// <summary>Before the workload's inbound listener (its mTLS mode and policy) first arrived: nothing gets in, as an
    /// Envoy refuses connections to a listener it does not have yet, so that policy never fails open.</summary>
    public static InboundModel NotYet { get; } = new(InboundTransports.None, new Dictionary<uint, InboundTransports>(), Security.InboundHttpFilters.None);

    /// <summary>What the listener does to a request's path before policy.</summary>
    public Proxy.Paths.PathNormalization Paths { get; init; } = Proxy.Paths.PathNormalization.None;

    /// <summary>Which address policy sees as the caller's (<c>remote.ip</c>).</summary>
    public Security.ClientAddress ClientAddress { get; init; } = Security.ClientAddress.Peer;

    public InboundTransports For(int port) => Ports.TryGetValue((uint)port, out var transports) ? transports : Default;
}
