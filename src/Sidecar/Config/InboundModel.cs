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
    /// <summary>Istio's default with no PeerAuthentication: PERMISSIVE, and no policy.</summary>
    public static InboundModel Permissive { get; } = new(InboundTransports.Both, new Dictionary<uint, InboundTransports>(), Security.InboundHttpFilters.None);

    public InboundTransports For(int port) => Ports.TryGetValue((uint)port, out var transports) ? transports : Default;
}
