using Mesh.Config.Kinds;

namespace Mesh.Kubernetes.Source;

/// <summary>What the source reads: the core kinds the registry is computed from, and each Mesh kind as a CRD.</summary>
public static class SourceKinds
{
    public static readonly ApiResource Namespaces = new("", "v1", "namespaces", Namespaced: false);
    public static readonly ApiResource Services = new("", "v1", "services");
    public static readonly ApiResource EndpointSlices = new("discovery.k8s.io", "v1", "endpointslices");
    public static readonly ApiResource Pods = new("", "v1", "pods");
    public static readonly ApiResource Nodes = new("", "v1", "nodes", Namespaced: false);

    public static IReadOnlyList<ApiResource> Registry { get; } = [Namespaces, Services, EndpointSlices, Pods, Nodes];

    /// <summary>Each version a Mesh kind may be served at, Mesh's preferred first: the source watches the first one
    /// the server serves.</summary>
    public static IEnumerable<ApiResource> Candidates(ResourceKind kind) =>
        kind.Versions.Select(version => new ApiResource(kind.Group, version, kind.Plural, Namespaced: !kind.ClusterScoped));
}
