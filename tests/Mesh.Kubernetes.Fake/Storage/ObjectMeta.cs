using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Fake.Storage;

/// <summary>Reads and writes of <c>metadata</c> fields on an object held as JSON.</summary>
public static class ObjectMeta
{
    public static JsonObject Of(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject metadata) return metadata;
        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }

    public static string Name(JsonObject obj) => Text(obj, "name");

    public static string Namespace(JsonObject obj) => Text(obj, "namespace");

    public static string ResourceVersion(JsonObject obj) => Text(obj, "resourceVersion");

    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj) =>
        obj["metadata"]?["labels"] is JsonObject labels
            ? labels.ToDictionary(p => p.Key, p => p.Value?.GetValueKind() == System.Text.Json.JsonValueKind.String ? p.Value.GetValue<string>() : p.Value?.ToJsonString() ?? "")
            : new Dictionary<string, string>();

    private static string Text(JsonObject obj, string field) =>
        obj["metadata"]?[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
}
