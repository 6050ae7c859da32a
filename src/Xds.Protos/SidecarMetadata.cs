namespace Mesh.Xds.Resources;

/// <summary>Hints for Mesh's own sidecar that Envoy's typed fields cannot carry without breaking proxyless gRPC
/// clients, in <c>metadata.filter_metadata["mesh"]</c> of a resource. Other clients ignore them.</summary>
public static class SidecarMetadata
{
    public const string Namespace = "mesh";

    /// <summary>On a cluster: Istio's load-balancing policy (<c>ROUND_ROBIN</c>, <c>LEAST_REQUEST</c>, <c>RANDOM</c>,
    /// <c>RING_HASH</c>); <c>lb_policy</c> carries what gRPC accepts (round robin or ring hash).</summary>
    public const string LbPolicy = "lb_policy";

    /// <summary>On an endpoint: the WorkloadEntry behind it, <c>namespace/name</c>.</summary>
    public const string Workload = "workload";
}
