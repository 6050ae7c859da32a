using System.Text.Json;
using System.Text.Json.Nodes;
using Mesh.Config.Manifests;
using Mesh.Config.Validation.Fields;
using Mesh.Config.Validation.Rules;

namespace Mesh.Config.Validation;

/// <summary>Reads and checks a document's <c>metadata</c>: the fields users write, plus server-managed ones that are ignored.</summary>
internal static class MetadataReader
{
    private static readonly string[] Known =
        ["name", "namespace", "labels", "annotations", "resourceVersion", "uid", "creationTimestamp", "generation", "managedFields"];

    private const int MaxAnnotationBytes = 256 * 1024;

    public static ResourceMetadata? Read(JsonNode? node, string defaultNamespace, Problems problems)
    {
        if (node is null)
        {
            problems.Error("metadata", "required");
            return null;
        }
        if (node is not JsonObject metadata)
        {
            problems.Error("metadata", $"expected an object, got {FieldPath.Describe(node)}");
            return null;
        }
        foreach (var (field, _) in metadata)
        {
            if (!Known.Contains(field))
            {
                problems.Error(FieldPath.Field("metadata", field), Suggestions.UnknownField(field, Known));
            }
        }
        var errorsBefore = problems.Errors.Count;
        var name = Name(metadata["name"], "metadata.name", problems);
        var ns = metadata["namespace"] is null ? defaultNamespace : Name(metadata["namespace"], "metadata.namespace", problems);
        var labels = StringMap(metadata["labels"], "metadata.labels", Names.LabelValue, problems);
        var annotations = StringMap(metadata["annotations"], "metadata.annotations", _ => null, problems);
        if (annotations.Sum(a => a.Key.Length + a.Value.Length) > MaxAnnotationBytes)
        {
            problems.Error("metadata.annotations", $"annotations are larger than {MaxAnnotationBytes} bytes in total");
        }
        var resourceVersion = ResourceVersion(metadata["resourceVersion"], problems);
        if (problems.Errors.Count > errorsBefore || name is null || ns is null) return null;
        return new ResourceMetadata
        {
            Name = name,
            Namespace = ns,
            Labels = labels,
            Annotations = annotations,
            ResourceVersion = resourceVersion,
        };
    }

    /// <summary>The name a document gives itself, if it gives a readable one, even when other fields are wrong.</summary>
    public static string? PeekName(JsonNode? metadata)
        => FieldPath.IsString(FieldPath.Get(metadata, "name"), out var name) && Names.Label(name) is null ? name : null;

    private static string? Name(JsonNode? node, string path, Problems problems)
    {
        if (node is null)
        {
            problems.Error(path, "required");
            return null;
        }
        if (!FieldPath.IsString(node, out var name))
        {
            problems.Error(path, $"expected a string, got {FieldPath.Describe(node)}");
            return null;
        }
        if (Names.Label(name) is { } reason)
        {
            problems.Error(path, reason);
            return null;
        }
        return name;
    }

    private static Dictionary<string, string> StringMap(JsonNode? node, string path, Func<string, string?> valueRule, Problems problems)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is null) return map;
        if (node is not JsonObject obj)
        {
            problems.Error(path, $"expected a map, got {FieldPath.Describe(node)}");
            return map;
        }
        foreach (var (key, value) in obj)
        {
            var itemPath = FieldPath.Field(path, key);
            if (Names.LabelKey(key) is { } keyReason) problems.Error(itemPath, $"invalid key \"{Names.Short(key)}\": {keyReason}");
            if (!FieldPath.IsString(value, out var text))
            {
                problems.Error(itemPath, $"expected a string, got {FieldPath.Describe(value)}");
                continue;
            }
            if (valueRule(text) is { } valueReason) problems.Error(itemPath, valueReason);
            map[key] = text;
        }
        return map;
    }

    private static string? ResourceVersion(JsonNode? node, Problems problems)
    {
        switch (node)
        {
            case null: return null;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String: return value.GetValue<string>();
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number: return value.ToJsonString();
            default:
                problems.Error("metadata.resourceVersion", $"expected a string, got {FieldPath.Describe(node)}");
                return null;
        }
    }
}
