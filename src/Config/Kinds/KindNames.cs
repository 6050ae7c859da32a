namespace Mesh.Config.Kinds;

/// <summary>The kind names as they appear in keys (and, but for <see cref="GatewayApiGateway"/>, in manifests), for code
/// that switches on a kind (<see cref="ResourceKinds"/> holds the whole description of each).</summary>
public static class KindNames
{
    public const string ServiceEntry = "ServiceEntry";
    public const string WorkloadEntry = "WorkloadEntry";
    public const string WorkloadGroup = "WorkloadGroup";
    public const string VirtualService = "VirtualService";
    public const string DestinationRule = "DestinationRule";
    public const string Gateway = "Gateway";
    public const string Sidecar = "Sidecar";
    public const string PeerAuthentication = "PeerAuthentication";
    public const string AuthorizationPolicy = "AuthorizationPolicy";
    public const string RequestAuthentication = "RequestAuthentication";

    public const string GatewayClass = "GatewayClass";

    /// <summary>The Gateway API's <c>Gateway</c>: manifests write <c>kind: Gateway</c>, as Istio's do, so Mesh knows it
    /// by its group-qualified name (kubectl's <c>gateway.gateway.networking.k8s.io</c>, cased as a kind), and the keys
    /// of Istio's Gateways keep their plain <c>Gateway/</c> prefix.</summary>
    public const string GatewayApiGateway = "Gateway.gateway.networking.k8s.io";

    public const string HttpRoute = "HTTPRoute";
    public const string GrpcRoute = "GRPCRoute";
    public const string ReferenceGrant = "ReferenceGrant";

    /// <summary>Mesh's own API-gateway policy (policy.mesh.dev): rate limits, API keys, IP lists, body limits.</summary>
    public const string ApiPolicy = "ApiPolicy";
}
