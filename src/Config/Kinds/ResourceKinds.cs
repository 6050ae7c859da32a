namespace Mesh.Config.Kinds;

/// <summary>The kinds Mesh serves (Istio's, and the Kubernetes Gateway API's), and lookup by the names users type.</summary>
public static class ResourceKinds
{
    /// <summary>Where Mesh stores the kinds Kubernetes keeps outside any namespace (<see cref="ResourceKind.ClusterScoped"/>).</summary>
    public const string ClusterNamespace = "cluster-scoped";

    private const string Networking = "networking.istio.io";
    private const string GatewayApi = "gateway.networking.k8s.io";
    private const string Security = "security.istio.io";
    private static readonly string[] NetworkingVersions = ["v1", "v1beta1", "v1alpha3"];
    private static readonly string[] SecurityVersions = ["v1", "v1beta1"];
    private static readonly string[] GatewayApiVersions = ["v1", "v1beta1"];
    private static readonly string[] GrpcRouteVersions = ["v1"];

    public static readonly ResourceKind ServiceEntry = new(KindNames.ServiceEntry, Networking, "serviceentries", ["se"], NetworkingVersions);
    public static readonly ResourceKind WorkloadEntry = new(KindNames.WorkloadEntry, Networking, "workloadentries", ["we"], NetworkingVersions);
    public static readonly ResourceKind WorkloadGroup = new(KindNames.WorkloadGroup, Networking, "workloadgroups", ["wg"], NetworkingVersions);
    public static readonly ResourceKind VirtualService = new(KindNames.VirtualService, Networking, "virtualservices", ["vs"], NetworkingVersions);
    public static readonly ResourceKind DestinationRule = new(KindNames.DestinationRule, Networking, "destinationrules", ["dr"], NetworkingVersions);
    public static readonly ResourceKind Gateway = new(KindNames.Gateway, Networking, "gateways", ["gw"], NetworkingVersions);
    public static readonly ResourceKind Sidecar = new(KindNames.Sidecar, Networking, "sidecars", [], NetworkingVersions);
    public static readonly ResourceKind PeerAuthentication = new(KindNames.PeerAuthentication, Security, "peerauthentications", ["pa"], SecurityVersions);
    public static readonly ResourceKind AuthorizationPolicy = new(KindNames.AuthorizationPolicy, Security, "authorizationpolicies", ["ap"], SecurityVersions);
    public static readonly ResourceKind RequestAuthentication = new(KindNames.RequestAuthentication, Security, "requestauthentications", ["ra"], SecurityVersions);


    public static readonly ResourceKind GatewayClass =
        new(KindNames.GatewayClass, GatewayApi, "gatewayclasses", ["gc"], GatewayApiVersions) { ClusterScoped = true };
    public static readonly ResourceKind GatewayApiGateway =
        new(KindNames.GatewayApiGateway, GatewayApi, "gateways", ["gtw"], GatewayApiVersions) { ManifestKind = KindNames.Gateway };
    public static readonly ResourceKind HttpRoute = new(KindNames.HttpRoute, GatewayApi, "httproutes", [], GatewayApiVersions);
    public static readonly ResourceKind GrpcRoute = new(KindNames.GrpcRoute, GatewayApi, "grpcroutes", [], GrpcRouteVersions);
    // v1 since Gateway API v1.5; v1beta1 is what most manifests still say.
    public static readonly ResourceKind ReferenceGrant = new(KindNames.ReferenceGrant, GatewayApi, "referencegrants", ["refgrant"], GatewayApiVersions);

    public static readonly ResourceKind ApiPolicy = new(KindNames.ApiPolicy, "policy.mesh.dev", "apipolicies", ["apol"], ["v1"]);

    /// <summary>Every kind, Istio's first: where a name a user types fits two kinds (<c>gateway</c>, <c>gateways</c>),
    /// the first wins, so <c>meshctl get gateways</c> means Istio's as with istioctl, and the Gateway API's Gateway is
    /// <c>gtw</c> or <c>gateways.gateway.networking.k8s.io</c>.</summary>
    public static IReadOnlyList<ResourceKind> All { get; } =
    [
        ServiceEntry, WorkloadEntry, WorkloadGroup, VirtualService, DestinationRule, Gateway, Sidecar,
        PeerAuthentication, AuthorizationPolicy, RequestAuthentication,
        GatewayClass, GatewayApiGateway, HttpRoute, GrpcRoute, ReferenceGrant,
        ApiPolicy,
    ];

    /// <summary>The kind a document's <c>apiVersion</c> and <c>kind</c> name, or null when Mesh does not serve it.</summary>
    public static ResourceKind? FromDocument(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        if (slash <= 0) return null;
        var group = apiVersion[..slash];
        var version = apiVersion[(slash + 1)..];
        return All.FirstOrDefault(k => k.ManifestKind == kind && k.Group == group && k.Versions.Contains(version));
    }

    /// <summary>The kind a user typed: <c>vs</c>, <c>virtualservice</c>, <c>virtualservices</c>, <c>VirtualService</c>,
    /// or a qualified <c>virtualservice.networking.istio.io</c>.</summary>
    public static ResourceKind? Resolve(string name)
    {
        var lower = name.Trim().ToLowerInvariant();
        foreach (var kind in All)
        {
            var singular = kind.ManifestKind.ToLowerInvariant();
            if (lower == singular || lower == kind.Kind.ToLowerInvariant() || lower == kind.Plural || kind.ShortNames.Contains(lower)
                || lower == kind.QualifiedName || lower == $"{kind.Plural}.{kind.Group}")
            {
                return kind;
            }
        }
        return null;
    }

    /// <summary>The kind with this exact <c>Kind</c> name, as keys and stored records hold it (<c>VirtualService</c>,
    /// <c>Gateway.gateway.networking.k8s.io</c>).</summary>
    public static ResourceKind? FromKindName(string kind) => All.FirstOrDefault(k => k.Kind == kind);

    /// <summary>The kinds manifests write with this <c>kind</c> (two for <c>Gateway</c>), to say which apiVersions it takes.</summary>
    public static IReadOnlyList<ResourceKind> FromManifestKind(string kind) => [.. All.Where(k => k.ManifestKind == kind)];
}
