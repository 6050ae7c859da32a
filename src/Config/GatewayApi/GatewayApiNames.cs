namespace Mesh.Config.GatewayApi;

/// <summary>The names Mesh uses as a Gateway API implementation, defined once.</summary>
public static class GatewayApiNames
{
    public const string Group = "gateway.networking.k8s.io";

    /// <summary>Mesh's controller: GatewayClasses with this <c>controllerName</c> are Mesh's, and so are their Gateways.</summary>
    public const string ControllerName = "mesh.dev/gateway-controller";

    /// <summary>The label of the workloads that serve a Gateway API Gateway (the label Istio puts on the deployment it
    /// creates for one); the converted Gateway selects them in the Gateway's namespace.</summary>
    public const string GatewayNameLabel = "gateway.networking.k8s.io/gateway-name";

    /// <summary>The name a converted VirtualService's <c>gateways</c> carries for the Gateway it is bound to. Qualified
    /// by the kind so that it never names an Istio Gateway of the same namespace and name.</summary>
    public static string GatewayReference(string @namespace, string name) => $"{@namespace}/{GatewayReferenceName(name)}";

    /// <summary>The name part of <see cref="GatewayReference"/>: what a converted Gateway is called where Istio's
    /// Gateways are called by their name.</summary>
    public static string GatewayReferenceName(string name) => $"{name}.{Group}";

    /// <summary>The mesh host of a Kubernetes Service backend.</summary>
    public static string ServiceHost(string name, string @namespace) => $"{name}.{@namespace}.svc.cluster.local";

    /// <summary>A listener certificate as the converted server's <c>credentialName</c>: the Secret's name when it is in
    /// the Gateway's namespace (where SDS looks), else <c>kubernetes-gateway://NS/NAME</c> (Istio's form for a Secret
    /// that a ReferenceGrant lets the Gateway use from another namespace).</summary>
    public static string CredentialName(string gatewayNamespace, string secretNamespace, string name)
        => secretNamespace == gatewayNamespace ? name : $"kubernetes-gateway://{secretNamespace}/{name}";
}
