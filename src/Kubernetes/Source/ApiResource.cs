namespace Mesh.Kubernetes.Source;

/// <summary>One kind the source reads, by its place in the API: <c>("", "v1", "services")</c>,
/// <c>("networking.istio.io", "v1", "virtualservices")</c>. Listed and watched across all namespaces.</summary>
/// <param name="Group">The API group; empty for the core group, which lives under <c>/api</c>, not <c>/apis</c>.</param>
/// <param name="Resource">The plural name in URLs.</param>
public sealed record ApiResource(string Group, string Version, string Resource, bool Namespaced = true)
{
    /// <summary>The collection's path across all namespaces: <c>api/v1/services</c>, <c>apis/G/V/R</c>.</summary>
    public string Path => Group.Length == 0 ? $"api/{Version}/{Resource}" : $"apis/{Group}/{Version}/{Resource}";

    /// <summary>A field selector the list and watch carry (<c>metadata.name=X</c>): one object of a kind in every
    /// namespace, without reading all of them.</summary>
    public string? FieldSelector { get; init; }

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public override string ToString() => Group.Length == 0 ? Resource : $"{Resource}.{Group}";
}
