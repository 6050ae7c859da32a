using System.Text.Json.Nodes;
using Mesh.Kubernetes.Fake.Errors;

namespace Mesh.Kubernetes.Fake.Patching;

/// <summary>JSON patch (RFC 6902, <c>application/json-patch+json</c>, and what a mutating webhook answers):
/// add, remove, replace, move, copy and test, with JSON pointers (RFC 6901). A failed operation fails the whole patch.</summary>
public static class JsonPatch
{
    public static JsonNode? Apply(JsonNode? document, JsonArray operations)
    {
        var root = new JsonObject { ["doc"] = document?.DeepClone() };
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject operation) throw Invalid(i, "is not an object");
            var op = operation["op"]?.GetValue<string>();
            var path = Pointer(i, operation["path"]);
            switch (op)
            {
                case "add": Add(root, path, operation["value"]?.DeepClone(), i); break;
                case "remove": Remove(root, path, i); break;
                case "replace": Remove(root, path, i); Add(root, path, operation["value"]?.DeepClone(), i); break;
                case "move": { var from = Pointer(i, operation["from"]); var value = Remove(root, from, i); Add(root, path, value, i); break; }
                case "copy": Add(root, path, Find(root, Pointer(i, operation["from"]), i)?.DeepClone(), i); break;
                case "test":
                    if (!JsonNode.DeepEquals(Find(root, path, i), operation["value"])) throw Invalid(i, $"test failed at {operation["path"]}");
                    break;
                default: throw Invalid(i, $"has an unknown op \"{op}\"");
            }
        }
        return root["doc"];
    }

    private static string[] Pointer(int index, JsonNode? node)
    {
        var text = node?.GetValue<string>() ?? throw Invalid(index, "has no path");
        if (text.Length > 0 && text[0] != '/') throw Invalid(index, $"path \"{text}\" does not start with '/'");
        return ["doc", .. text.Split('/').Skip(1).Select(t => t.Replace("~1", "/").Replace("~0", "~"))];
    }

    private static JsonNode? Find(JsonObject root, string[] path, int index)
    {
        JsonNode? node = root;
        foreach (var token in path)
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(token) => o[token],
                JsonArray a when int.TryParse(token, out var n) && n >= 0 && n < a.Count => a[n],
                _ => throw Invalid(index, $"path /{string.Join('/', path.Skip(1))} does not exist"),
            };
        }
        return node;
    }

    private static void Add(JsonObject root, string[] path, JsonNode? value, int index)
    {
        var parent = Find(root, path[..^1], index);
        var last = path[^1];
        switch (parent)
        {
            case JsonObject o: o[last] = value; break;
            case JsonArray a when last == "-": a.Add(value); break;
            case JsonArray a when int.TryParse(last, out var n) && n >= 0 && n <= a.Count: a.Insert(n, value); break;
            default: throw Invalid(index, $"cannot add at /{string.Join('/', path.Skip(1))}");
        }
    }

    private static JsonNode? Remove(JsonObject root, string[] path, int index)
    {
        var parent = Find(root, path[..^1], index);
        var value = Find(root, path, index);
        switch (parent)
        {
            case JsonObject o: o.Remove(path[^1]); break;
            case JsonArray a: a.RemoveAt(int.Parse(path[^1], System.Globalization.CultureInfo.InvariantCulture)); break;
        }
        return value;
    }

    private static ApiError Invalid(int index, string reason) => new(422, "Invalid", $"the JSON patch's operation {index} {reason}");
}
