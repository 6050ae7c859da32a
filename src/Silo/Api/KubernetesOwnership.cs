using Mesh.Api.V1;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Grains.Config;

namespace Mesh.Silo.Api;

/// <summary>A resource whose stored version carries <c>mesh.io/source: kubernetes</c> was read from the Kubernetes API
/// server, which is its source of truth: the management API neither changes nor deletes it (the source would undo
/// it, or worse, the two would fight), and no write through the API may put the annotation on (only the source
/// writes it, straight to the config grains). The config grain refuses the API's writes to such a resource
/// (<see cref="WriteOutcome.OwnedByKubernetes"/>); this gives the refusal its words.</summary>
internal static class KubernetesOwnership
{
    /// <summary>The error for a document that sets the annotation itself; null when it does not.</summary>
    public static FieldIssue? Claim(Resource resource) =>
        resource.Metadata.Annotations.ContainsKey(SourceAnnotation.Key)
            ? new FieldIssue
            {
                Resource = resource.DisplayName,
                Path = $"metadata.annotations[{SourceAnnotation.Key}]",
                Reason = "is set only by Mesh's Kubernetes source, never through the API; remove it",
            }
            : null;

    public static string Refusal(ResourceKind kind, string ns, string name, bool delete)
    {
        var resource = kind.ManifestKind.ToLowerInvariant();
        var how = delete
            ? $"`kubectl delete {resource} {name} -n {ns}`"
            : $"`kubectl apply -f FILE` or `kubectl edit {resource} {name} -n {ns}`";
        return $"{kind.Kind} {ns}/{name} comes from Kubernetes (annotation {SourceAnnotation.Key}: {SourceAnnotation.Kubernetes}), "
            + $"whose API server is its source of truth; Mesh's API does not {(delete ? "delete" : "change")} it, nothing changed. "
            + $"Use kubectl against the cluster instead: {how}";
    }
}
