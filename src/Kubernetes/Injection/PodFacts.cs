using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Injection;

/// <summary>What injection reads from a pod, read once from the admission request's object. A pod that cannot be
/// read this far is refused with the field path that stopped it (<see cref="PodFormatException"/>).</summary>
public sealed record PodFacts(
    string Namespace,
    string ServiceAccount,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    bool HostNetwork,
    bool AlreadyInjected,
    IReadOnlyList<JsonObject> Containers,
    bool HasInitContainers,
    bool HasVolumes,
    bool HasAnnotations,
    bool HasLabels)
{
    /// <param name="requestNamespace">The request's namespace: a pod created from a template often names none itself.</param>
    /// <exception cref="PodFormatException">The pod lacks what injection needs, or has it in the wrong shape.</exception>
    public static PodFacts Read(JsonObject pod, string? requestNamespace)
    {
        var metadata = Object(pod, "metadata", "metadata") ?? [];
        var spec = Object(pod, "spec", "spec") ?? throw new PodFormatException("spec", "required");
        var containers = spec["containers"] is JsonArray list && list.Count > 0
            ? list.Select((c, i) => c as JsonObject ?? throw new PodFormatException($"spec.containers[{i}]", "expected an object")).ToList()
            : throw new PodFormatException("spec.containers", "a pod needs at least one container");
        for (var i = 0; i < containers.Count; i++)
        {
            if (Text(containers[i], "name", $"spec.containers[{i}].name") is not { Length: > 0 }) throw new PodFormatException($"spec.containers[{i}].name", "required");
        }
        var annotations = Map(metadata, "annotations");
        var names = containers.Concat(Array(spec, "initContainers")).Select(c => c["name"]?.GetValue<string>()).ToHashSet();
        return new PodFacts(
            Text(metadata, "namespace", "metadata.namespace") is { Length: > 0 } ns ? ns : requestNamespace ?? "default",
            Text(spec, "serviceAccountName", "spec.serviceAccountName") is { Length: > 0 } account ? account : "default",
            Map(metadata, "labels"),
            annotations,
            spec["hostNetwork"] is JsonValue host && host.TryGetValue<bool>(out var onHost) && onHost,
            annotations.ContainsKey(InjectionNames.StatusAnnotation) || annotations.ContainsKey(InjectionNames.IstioStatusAnnotation)
                || names.Contains(InjectionNames.SidecarContainer) || names.Contains("istio-proxy"),
            containers,
            spec["initContainers"] is JsonArray,
            spec["volumes"] is JsonArray,
            metadata["annotations"] is JsonObject,
            metadata["labels"] is JsonObject);
    }

    private static JsonObject? Object(JsonObject parent, string field, string path) => parent[field] switch
    {
        null => null,
        JsonObject value => value,
        _ => throw new PodFormatException(path, "expected an object"),
    };

    private static IEnumerable<JsonObject> Array(JsonObject parent, string field) => (parent[field] as JsonArray ?? []).OfType<JsonObject>();

    private static string? Text(JsonObject parent, string field, string path) => parent[field] switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => throw new PodFormatException(path, "expected a string"),
    };

    private static IReadOnlyDictionary<string, string> Map(JsonObject metadata, string field)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Object(metadata, field, $"metadata.{field}") ?? [])
        {
            map[key] = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : throw new PodFormatException($"metadata.{field}[{key}]", "expected a string");
        }
        return map;
    }
}

/// <summary>A pod injection cannot read: where and why.</summary>
public sealed class PodFormatException(string path, string reason) : FormatException($"{path}: {reason}");
