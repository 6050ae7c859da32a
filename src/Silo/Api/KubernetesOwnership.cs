using Mesh.Api.V1;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Grains.Config;
using Mesh.Kubernetes.Registry;

namespace Mesh.Silo.Api;

/// <summary>A resource whose stored version carries <c>mesh.io/source: kubernetes</c> was read from the Kubernetes API
/// server, which is its source of truth: the management API neither changes nor deletes it (the source would undo
/// it, or worse, the two would fight), and no write through the API may put the annotation on (only the source
/// writes it, straight to the config grains).</summary>
internal static class KubernetesOwnership
{
    public static bool Owns(StoredConfig? stored) =>
        stored is not null
        && stored.Annotations.TryGetValue(RegistryNames.SourceAnnotation, out var source)
        && source == RegistryNames.KubernetesSource;

    /// <summary>The error for a document that sets the annotation itself; null when it does not.</summary>
    public static FieldIssue? Claim(Resource resource) =>
        resource.Metadata.Annotations.ContainsKey(RegistryNames.SourceAnnotation)
            ? new FieldIssue
            {
                Resource = resource.DisplayName,
                Path = $"metadata.annotations[{RegistryNames.SourceAnnotation}]",
                Reason = "is set only by Mesh's Kubernetes source, never through the API; remove it",
            }
            : null;

    public static string Refusal(ResourceKind kind, string ns, string name, bool delete)
    {
        var resource = kind.ManifestKind.ToLowerInvariant();
        var how = delete
            ? $"`kubectl delete {resource} {name} -n {ns}`"
            : $"`kubectl apply -f FILE` or `kubectl edit {resource} {name} -n {ns}`";
        return $"{kind.Kind} {ns}/{name} comes from Kubernetes (annotation {RegistryNames.SourceAnnotation}: {RegistryNames.KubernetesSource}), "
            + $"whose API server is its source of truth; Mesh's API does not {(delete ? "delete" : "change")} it, nothing changed. "
            + $"Use kubectl against the cluster instead: {how}";
    }
}
