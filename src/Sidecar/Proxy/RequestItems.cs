namespace Mesh.Sidecar.Proxy;

/// <summary>What the proxy notes on a request for telemetry and the access log.</summary>
public static class RequestItems
{
    public const string ResponseFlags = "mesh.flags";
    public const string GrpcStatus = "mesh.grpc_status";
    public const string UpstreamCluster = "mesh.cluster";
    public const string UpstreamHost = "mesh.upstream";
    public const string Route = "mesh.route";
    public const string Listener = "mesh.listener";
    public const string Service = "mesh.service";
    public const string DestinationWorkload = "mesh.destination_workload";
    public const string DestinationNamespace = "mesh.destination_namespace";
    public const string Attempts = "mesh.attempts";
    /// <summary>The consumer a gateway's ApiPolicy found by the request's API key.</summary>
    public const string Consumer = "mesh.consumer";
    /// <summary>The endpoint (<c>ADDRESS:PORT</c>) a captured connection was addressed to directly (a pod IP): the
    /// load balancer keeps the request on it when the routed cluster holds it.</summary>
    public const string Endpoint = "mesh.endpoint";
}
