namespace Mesh.Xds.Resources;

/// <summary>Values of Istio's <c>security.istio.io/tlsMode</c> label and of the endpoint metadata the sidecar reads
/// to decide whether to originate mTLS.</summary>
public static class TlsModes
{
    /// <summary>The workload has a sidecar that accepts mTLS.</summary>
    public const string Istio = "istio";

    /// <summary>Send plain text (the workload has no sidecar, or policy disables mTLS to it).</summary>
    public const string Disabled = "disabled";
}
