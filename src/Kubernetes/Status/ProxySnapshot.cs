using Mesh.Xds.Resources;

namespace Mesh.Kubernetes.Status;

/// <summary>One connected proxy as the status writer reads it (from its proxy grain): per xDS type, what it was last
/// sent and how it answered; and the workload it runs for, which workload policies select.</summary>
public sealed record ProxySnapshot(string NodeId, IReadOnlyList<ProxyTypeSnapshot> Types)
{
    /// <summary>The workload's namespace (its node metadata's, else its node id's).</summary>
    public string Namespace { get; init; } = "";

    /// <summary>The workload's labels, as its node metadata says.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>A gateway (node id type <c>router</c>), which Gateways select; any other proxy is a sidecar.</summary>
    public bool IsGateway => ProxyNodeId.TryParse(NodeId, out var id) && id.IsRouter;
}

/// <summary>One xDS type on one proxy's stream.</summary>
/// <param name="Names">The names of the resources the last response of this type held.</param>
/// <param name="Acked">The proxy ACKed the last response it was sent.</param>
/// <param name="NackError">The proxy's error when it NACKed the last response it was sent; empty otherwise.</param>
public sealed record ProxyTypeSnapshot(
    string TypeUrl,
    IReadOnlyCollection<string> Names,
    DateTimeOffset? SentAt,
    bool Acked,
    string NackError = "",
    DateTimeOffset? NackedAt = null)
{
    public bool Nacked => NackError.Length > 0;
}
