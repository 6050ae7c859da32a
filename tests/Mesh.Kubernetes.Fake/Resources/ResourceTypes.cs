namespace Mesh.Kubernetes.Fake.Resources;

/// <summary>The table of kinds a fake API server serves. Starts with what the mesh reads (core, discovery, admission
/// registration, Istio's and the Gateway API's CRDs); a test adds its own with <see cref="Add"/> before the server starts,
/// and the server adds the kinds of the CustomResourceDefinitions created in it (<see cref="Learn"/>).</summary>
public sealed class ResourceTypes
{
    private readonly Lock _lock = new();

    // Copied on write: requests read the table while a created CRD adds to it.
    private volatile ResourceType[] _types = [];

    public IReadOnlyList<ResourceType> All => _types;

    public static ResourceType Namespaces { get; } = new("", "v1", "namespaces", "Namespace", Namespaced: false, ShortNames: ["ns"]);

    /// <summary>Kubernetes' own kinds only: a cluster where the CRDs are still to be installed.</summary>
    public static ResourceTypes Builtin()
    {
        var types = new ResourceTypes();
        types.Add(Namespaces);
        types.Add(new("", "v1", "services", "Service", ShortNames: ["svc"]));
        types.Add(new("", "v1", "pods", "Pod", ShortNames: ["po"]));
        types.Add(new("", "v1", "nodes", "Node", Namespaced: false, ShortNames: ["no"]));
        types.Add(new("", "v1", "endpoints", "Endpoints", HasStatus: false, ShortNames: ["ep"]));
        types.Add(new("", "v1", "serviceaccounts", "ServiceAccount", HasStatus: false, ShortNames: ["sa"]));
        types.Add(new("", "v1", "configmaps", "ConfigMap", HasStatus: false, ShortNames: ["cm"]));
        types.Add(new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", HasStatus: false));
        types.Add(new("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", Namespaced: false, HasStatus: false));
        types.Add(new("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", Namespaced: false, HasStatus: false));
        types.Add(CustomResourceDefinitions);
        return types;
    }

    public static ResourceType CustomResourceDefinitions { get; } =
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false, ShortNames: ["crd"]);

    public static ResourceTypes Default()
    {
        var types = Builtin();
        foreach (var (kind, shortName) in new[] { ("VirtualService", "vs"), ("DestinationRule", "dr"), ("ServiceEntry", "se"), ("WorkloadEntry", "we"), ("WorkloadGroup", "wg"), ("Gateway", "gw"), ("Sidecar", "") })
        {
            types.AddCustom("networking.istio.io", "v1", kind, shortName);
        }
        foreach (var (kind, shortName) in new[] { ("PeerAuthentication", "pa"), ("AuthorizationPolicy", "ap"), ("RequestAuthentication", "ra") })
        {
            types.AddCustom("security.istio.io", "v1", kind, shortName);
        }
        foreach (var kind in new[] { "GatewayClass", "Gateway", "HTTPRoute", "GRPCRoute" })
        {
            types.AddCustom("gateway.networking.k8s.io", "v1", kind, "", namespaced: kind != "GatewayClass");
        }
        return types;
    }

    public void Add(ResourceType type)
    {
        if (!TryAdd(type)) throw new ArgumentException($"{type} {type.Version} is already in the table", nameof(type));
    }

    /// <summary>Serves each served version of a CustomResourceDefinition, as the real server starts to once it is
    /// created (versions already in the table stay as they are).</summary>
    public void Learn(System.Text.Json.Nodes.JsonObject crd)
    {
        foreach (var type in CustomKinds.Of(crd)) TryAdd(type);
    }

    private bool TryAdd(ResourceType type)
    {
        lock (_lock)
        {
            if (Find(type.Group, type.Version, type.Resource) is not null) return false;
            _types = [.. _types, type];
            return true;
        }
    }

    /// <summary>A CRD's kind with a status subresource, its plural made as CRDs conventionally make it.</summary>
    public void AddCustom(string group, string version, string kind, string shortName, bool namespaced = true) =>
        Add(new(group, version, Plural(kind), kind, namespaced, HasStatus: true, IsCustom: true, ShortNames: shortName.Length == 0 ? null : [shortName]));

    public ResourceType? Find(string group, string version, string resource) =>
        _types.FirstOrDefault(t => t.Group == group && t.Version == version && t.Resource == resource);

    private static string Plural(string kind)
    {
        var lower = kind.ToLowerInvariant();
        // policy → policies, but gateway → gateways (a vowel before the y).
        return lower.EndsWith('y') && !"aeiou".Contains(lower[^2]) ? lower[..^1] + "ies" : lower.EndsWith('s') ? lower + "es" : lower + "s";
    }
}
