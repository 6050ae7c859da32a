namespace Mesh.Config.Kinds;

/// <summary>A kind of config resource Mesh accepts, with the names kubectl users type for it.</summary>
/// <param name="Kind">What Mesh knows the kind by: keys (<c>Kind/namespace/name</c>), stored records, the API's kind
/// field. It is the manifest's kind, unless two served groups share that kind (see <see cref="ManifestKind"/>).</param>
public sealed record ResourceKind(
    string Kind,
    string Group,
    string Plural,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Versions)
{
    /// <summary>The <c>kind</c> manifests write. The same as <see cref="Kind"/> except where a kind name is shared by two
    /// groups (the Gateway API's <c>Gateway</c> and Istio's): the later one is known group-qualified inside Mesh, so that
    /// the keys and stored records of the first stay as they were.</summary>
    public string ManifestKind { get; init; } = Kind;

    /// <summary>A kind that Kubernetes keeps outside any namespace (GatewayClass): Mesh stores it in
    /// <see cref="ResourceKinds.ClusterNamespace"/>, whatever namespace a document or a command names.</summary>
    public bool ClusterScoped { get; init; }

    /// <summary>The version Mesh writes back (<c>v1</c>).</summary>
    public string PreferredVersion => Versions[0];

    public string PreferredApiVersion => $"{Group}/{PreferredVersion}";

    /// <summary>kubectl's resource name: <c>virtualservice.networking.istio.io</c>.</summary>
    public string QualifiedName => $"{ManifestKind.ToLowerInvariant()}.{Group}";

    /// <summary>The namespace a resource of this kind is stored in when <paramref name="requested"/> is asked for.</summary>
    public string StoredNamespace(string requested) => ClusterScoped ? ResourceKinds.ClusterNamespace : requested;
}
