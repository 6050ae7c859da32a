using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Source;

/// <summary>What the source reads from any object's <c>metadata</c>, whatever its kind.</summary>
public static class ApiObjects
{
    public static string Name(JsonObject obj) => Metadata(obj)?["name"]?.GetValue<string>() ?? "";

    public static string Namespace(JsonObject obj) => Metadata(obj)?["namespace"]?.GetValue<string>() ?? "";

    public static string ResourceVersion(JsonObject obj) => Metadata(obj)?["resourceVersion"]?.GetValue<string>() ?? "";

    /// <summary><c>namespace/name</c>, or <c>name</c> for a cluster-scoped object.</summary>
    public static string Key(JsonObject obj) => Namespace(obj) is { Length: > 0 } ns ? $"{ns}/{Name(obj)}" : Name(obj);

    private static JsonObject? Metadata(JsonObject obj) => obj["metadata"] as JsonObject;
}
