namespace Mesh.Config.Kinds;

/// <summary>The Istio kinds Mesh serves, and lookup by the names users type.</summary>
public static class ResourceKinds
{
    private const string Networking = "networking.istio.io";
    private const string Security = "security.istio.io";
    private static readonly string[] NetworkingVersions = ["v1", "v1beta1", "v1alpha3"];
    private static readonly string[] SecurityVersions = ["v1", "v1beta1"];

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

    public static IReadOnlyList<ResourceKind> All { get; } =
    [
        ServiceEntry, WorkloadEntry, WorkloadGroup, VirtualService, DestinationRule, Gateway, Sidecar,
        PeerAuthentication, AuthorizationPolicy, RequestAuthentication,
    ];

    /// <summary>The kind a document's <c>apiVersion</c> and <c>kind</c> name, or null when Mesh does not serve it.</summary>
    public static ResourceKind? FromDocument(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        if (slash <= 0) return null;
        var group = apiVersion[..slash];
        var version = apiVersion[(slash + 1)..];
        return All.FirstOrDefault(k => k.Kind == kind && k.Group == group && k.Versions.Contains(version));
    }

    /// <summary>The kind a user typed: <c>vs</c>, <c>virtualservice</c>, <c>virtualservices</c>, <c>VirtualService</c>,
    /// or a qualified <c>virtualservice.networking.istio.io</c>.</summary>
    public static ResourceKind? Resolve(string name)
    {
        var lower = name.Trim().ToLowerInvariant();
        foreach (var kind in All)
        {
            var singular = kind.Kind.ToLowerInvariant();
            if (lower == singular || lower == kind.Plural || kind.ShortNames.Contains(lower)
                || lower == kind.QualifiedName || lower == $"{kind.Plural}.{kind.Group}")
            {
                return kind;
            }
        }
        return null;
    }

    /// <summary>The kind with this exact <c>Kind</c> name (<c>VirtualService</c>).</summary>
    public static ResourceKind? FromKindName(string kind) => All.FirstOrDefault(k => k.Kind == kind);
}
