using System.Text.Json.Nodes;
using Mesh.Config.Manifests;
using Mesh.Kubernetes.Registry;

namespace Mesh.Kubernetes.Tests.Registry;

/// <summary>Registries as text, so that tests compare what would be written, not object identities.</summary>
internal static class Rendering
{
    public static KubernetesRegistry Map(params k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>[] objects) =>
        RegistryMapping.Map(ClusterSnapshot.Of(objects));

    public static string Render(KubernetesRegistry registry) => string.Join("\n", [
        .. registry.Resources.Select(Render),
        .. registry.Services.SelectMany(s => s.Endpoints).Select(e => $"{e.WorkloadEntry.Key} {e.Health} {e.Pod}"),
        .. registry.Pending.Select(p => $"pending {p.Service} {p.Address} {p.Pod}"),
        .. registry.Problems.Select(p => $"problem {p}"),
    ]);

    public static string Render(Resource resource) =>
        $"{resource.Key} {Labels(resource.Metadata.Labels)} {resource.Spec.ToJsonString()}";

    public static Resource Entry(KubernetesRegistry registry, string key) =>
        registry.Services.Select(s => s.ServiceEntry).Concat(registry.Services.SelectMany(s => s.Endpoints).Select(e => e.WorkloadEntry))
            .Single(r => r.Key == key);

    public static string Spec(KubernetesRegistry registry, string key) => Entry(registry, key).Spec.ToJsonString();

    private static string Labels(IReadOnlyDictionary<string, string> labels) =>
        new JsonObject(labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))).ToJsonString();
}
