namespace Mesh.Kubernetes.Status;

/// <summary>One connected proxy as the status writer reads it (from its proxy grain): per xDS type, what it was last
/// sent and how it answered.</summary>
public sealed record ProxySnapshot(string NodeId, IReadOnlyList<ProxyTypeSnapshot> Types);

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
