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

    /// <summary>On an endpoint: Istio's <c>security.istio.io/tlsMode</c> of its workload (<c>istio</c> when it has a
    /// sidecar that accepts mTLS: auto mTLS sends it mTLS).</summary>
    public const string TlsMode = "tls_mode";

    /// <summary>On an endpoint: the service account of its workload; its certificate must carry that identity.</summary>
    public const string ServiceAccount = "service_account";

    /// <summary>On a cluster: the DestinationRule's <c>trafficPolicy.tls</c> (mode DISABLE, SIMPLE, MUTUAL or
    /// ISTIO_MUTUAL, sni, subjectAltNames, caCertificates, clientCertificate, privateKey, insecureSkipVerify), absent
    /// for auto mTLS.</summary>
    public const string Tls = "tls";
}
