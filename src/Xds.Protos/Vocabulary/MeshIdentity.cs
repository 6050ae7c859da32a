namespace Mesh.Xds.Resources;

/// <summary>Names the control plane and the sidecar share about workload identity.</summary>
public static class MeshIdentity
{
    /// <summary>Istio's label for a workload whose sidecar accepts mTLS (auto mTLS sends it mTLS).</summary>
    public const string TlsModeLabel = "security.istio.io/tlsMode";

    /// <summary>Request header naming the proxy (its node id) that asks for a workload certificate, for the ledger.</summary>
    public const string NodeIdHeader = "mesh-node-id";
}
