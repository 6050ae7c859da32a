namespace Mesh.Config.Manifests;

/// <summary><c>mesh.io/source</c>: who writes a resource. The Kubernetes source puts <see cref="Kubernetes"/> on each
/// one it stores: the cluster's API server is then that resource's source of truth, and only the source changes or
/// deletes it; an API write never carries the annotation.</summary>
public static class SourceAnnotation
{
    public const string Key = "mesh.io/source";
    public const string Kubernetes = "kubernetes";

    public static bool IsKubernetes(IReadOnlyDictionary<string, string> annotations) =>
        annotations.TryGetValue(Key, out var source) && source == Kubernetes;
}
