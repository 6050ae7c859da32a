using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Fake.Patching;

/// <summary>Strategic merge patch (<c>application/strategic-merge-patch+json</c>), which kubectl sends for built-in
/// kinds: a merge patch in which the lists that the Go types mark <c>patchStrategy:merge</c> merge element by element
/// on their merge key (containers by name, service ports by port, ...), with the <c>$patch</c>, <c>$retainKeys</c>,
/// <c>$setElementOrder</c> and <c>$deleteFromPrimitiveList</c> directives. Lists not in the table are replaced.</summary>
public static class StrategicMergePatch
{
    /// <summary>Merge keys of the merging lists the mesh's kinds use, by field name.</summary>
    private static readonly Dictionary<string, string> MergeKeys = new()
    {
        ["containers"] = "name", ["initContainers"] = "name", ["ephemeralContainers"] = "name",
        ["env"] = "name", ["volumes"] = "name", ["volumeMounts"] = "mountPath", ["imagePullSecrets"] = "name",
        ["conditions"] = "type", ["ownerReferences"] = "uid", ["hostAliases"] = "ip",
    };

    private static readonly HashSet<string> MergingPrimitiveLists = ["finalizers"];

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch) => Merge(target, patch);

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var directive = patchObject["$patch"]?.GetValue<string>();
        if (directive == "delete") return null;
        var result = target is JsonObject t && directive != "replace" ? t.DeepClone().AsObject() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (key is "$patch" or "$retainKeys" || key.StartsWith("$setElementOrder/", StringComparison.Ordinal)) continue;
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = key["$deleteFromPrimitiveList/".Length..];
                if (result[field] is JsonArray list && value is JsonArray gone)
                {
                    result[field] = new JsonArray(list.Where(v => !gone.Any(g => JsonNode.DeepEquals(g, v))).Select(v => v?.DeepClone()).ToArray());
                }
                continue;
            }
            if (value is null) { result.Remove(key); continue; }
            result[key] = value is JsonArray items ? MergeList(key, result[key] as JsonArray, items) : Merge(result[key], value);
            if (result[key] is null) result.Remove(key);
        }
        if (patchObject["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).ToHashSet();
            foreach (var key in result.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList()) result.Remove(key);
        }
        return result;
    }

    private static JsonArray MergeList(string field, JsonArray? target, JsonArray patch)
    {
        if (MergingPrimitiveLists.Contains(field) && target is not null)
        {
            var merged = target.Select(v => v?.DeepClone()).ToList();
            merged.AddRange(patch.Where(p => !target.Any(v => JsonNode.DeepEquals(v, p))).Select(p => p?.DeepClone()));
            return new JsonArray([.. merged]);
        }
        var key = MergeKey(field, patch);
        if (key is null || target is null || patch.Any(p => p is JsonObject o && o["$patch"]?.GetValue<string>() == "replace"))
        {
            return new JsonArray(patch.Where(p => p is not JsonObject o || o["$patch"] is null).Select(p => Merge(null, p)).ToArray());
        }
        var result = target.Select(v => v?.DeepClone()).ToList();
        foreach (var element in patch.OfType<JsonObject>())
        {
            var index = result.FindIndex(e => e is JsonObject o && JsonNode.DeepEquals(o[key], element[key]));
            var merged = Merge(index >= 0 ? result[index] : null, element);
            if (index >= 0 && merged is null) result.RemoveAt(index);
            else if (index >= 0) result[index] = merged;
            else if (merged is not null) result.Add(merged);
        }
        return new JsonArray([.. result]);
    }

    /// <summary>A Service's ports merge on <c>port</c>, a container's on <c>containerPort</c>.</summary>
    private static string? MergeKey(string field, JsonArray patch)
    {
        if (field == "ports")
        {
            return patch.OfType<JsonObject>().Any(p => p.ContainsKey("containerPort")) ? "containerPort" : "port";
        }
        return MergeKeys.GetValueOrDefault(field);
    }
}
