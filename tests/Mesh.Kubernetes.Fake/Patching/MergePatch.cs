using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Fake.Patching;

/// <summary>JSON merge patch (RFC 7386, <c>application/merge-patch+json</c>): objects merge, <c>null</c> deletes,
/// anything else (lists included) replaces. What kubectl sends for custom resources.</summary>
public static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null) result.Remove(key);
            else result[key] = Apply(result[key], value);
        }
        return result;
    }
}
