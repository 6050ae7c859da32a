using System.Text.Json.Nodes;

namespace Mesh.Config.Manifests;

/// <summary>Writes JSON trees back out as YAML or indented JSON, keeping key order.</summary>
public static class ManifestWriter
{
    /// <summary>YAML for one or more documents, separated by <c>---</c>.</summary>
    public static string ToYaml(IEnumerable<JsonNode> documents) => throw new NotImplementedException();

    public static string ToJson(JsonNode document) => throw new NotImplementedException();
}
