using System.Text.Json.Nodes;
using Google.Protobuf;
using Mesh.Api.V1;

namespace Mesh.Cli.Output;

/// <summary>An API resource as the document users read and write: apiVersion, kind, metadata, spec.</summary>
public static class ResourceDocuments
{
    public static JsonObject ToDocument(ConfigResource resource)
    {
        var metadata = new JsonObject
        {
            ["name"] = resource.Metadata.Name,
            ["namespace"] = resource.Metadata.Namespace,
        };
        if (resource.Metadata.Labels.Count > 0) metadata["labels"] = Map(resource.Metadata.Labels);
        if (resource.Metadata.Annotations.Count > 0) metadata["annotations"] = Map(resource.Metadata.Annotations);
        metadata["resourceVersion"] = resource.Metadata.ResourceVersion;
        metadata["generation"] = resource.Metadata.Generation;
        if (resource.Metadata.CreationTimestamp is not null)
        {
            metadata["creationTimestamp"] = resource.Metadata.CreationTimestamp.ToDateTimeOffset().ToString("yyyy-MM-ddTHH:mm:ssZ");
        }
        metadata["uid"] = resource.Metadata.Uid;
        var document = new JsonObject
        {
            ["apiVersion"] = resource.ApiVersion,
            ["kind"] = resource.Kind,
            ["metadata"] = metadata,
            ["spec"] = Spec(resource),
        };
        if (resource.Status is not null) document["status"] = Integers(JsonNode.Parse(JsonFormatter.Default.Format(resource.Status)));
        return document;
    }

    /// <summary>The spec as JSON, with whole numbers written as integers (a Struct holds every number as a double).</summary>
    public static JsonNode Spec(ConfigResource resource) =>
        Integers(JsonNode.Parse(resource.Spec is null ? "{}" : JsonFormatter.Default.Format(resource.Spec))!)!;

    private static JsonObject Map(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var map = new JsonObject();
        foreach (var (key, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal)) map[key] = value;
        return map;
    }

    private static JsonNode? Integers(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList()) obj[key] = Integers(obj[key]?.DeepClone());
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) array[i] = Integers(array[i]?.DeepClone());
                return array;
            case JsonValue value when value.TryGetValue<double>(out var number) && Math.Abs(number) < 9e15 && number == Math.Floor(number):
                return JsonValue.Create((long)number);
            default:
                return node;
        }
    }
}
