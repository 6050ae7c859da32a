using System.Text.Json.Nodes;
using Mesh.Config.Kinds;
using Mesh.Config.Manifests;
using Mesh.Config.Validation;
using Mesh.Kubernetes.Registry;
using Mesh.Kubernetes.Status;

namespace Mesh.Kubernetes.Source;

/// <summary>A Kubernetes object of a Mesh kind (a VirtualService applied with kubectl) as the Mesh document the
/// management API would have been given, validated by the same validator: the config grains get only what the API
/// would accept, and a refusal names the object's own fields (the document has the object's shape).</summary>
public static class SourcedDocuments
{
    /// <summary>kubectl's copy of the whole object; storing it would only double every resource.</summary>
    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    public static (Resource? Resource, SourcedObject Report) Read(ResourceKind kind, JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject ?? [];
        var ns = ApiObjects.Namespace(obj);
        var name = ApiObjects.Name(obj);
        var generation = metadata["generation"] is JsonValue g && g.TryGetValue<long>(out var number) ? number : 0;
        var result = ResourceValidator.Validate(Document(kind, obj), ns.Length > 0 ? ns : "default");
        var problems = result.IsValid ? [] : result.Errors;
        var stored = result.Resource;
        return (result.IsValid ? stored : null, new SourcedObject(kind, stored?.Metadata.Namespace ?? kind.StoredNamespace(ns), name, generation, problems));
    }

    public static JsonObject Document(ResourceKind kind, JsonObject obj)
    {
        var source = obj["metadata"] as JsonObject ?? [];
        var annotations = (source["annotations"] as JsonObject)?.Where(a => a.Key != LastApplied).ToDictionary(a => a.Key, a => a.Value?.DeepClone()) ?? [];
        annotations[SourceAnnotation.Key] = SourceAnnotation.Kubernetes;
        var metadata = new JsonObject { ["name"] = ApiObjects.Name(obj), ["annotations"] = new JsonObject(annotations) };
        if (ApiObjects.Namespace(obj) is { Length: > 0 } ns) metadata["namespace"] = ns;
        if (source["labels"] is JsonObject labels) metadata["labels"] = labels.DeepClone();
        return new JsonObject
        {
            ["apiVersion"] = obj["apiVersion"]?.DeepClone() ?? kind.PreferredApiVersion,
            ["kind"] = kind.ManifestKind,
            ["metadata"] = metadata,
            ["spec"] = obj["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }
}
