using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesh.Config.Manifests;

/// <summary>Writes JSON trees back out as YAML or indented JSON, keeping key order.</summary>
public static class ManifestWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        MaxDepth = 10_000,
    };

    /// <summary>YAML for one or more documents, separated by <c>---</c>.</summary>
    public static string ToYaml(IEnumerable<JsonNode> documents)
    {
        var yaml = new StringBuilder();
        var first = true;
        foreach (var document in documents)
        {
            if (!first) yaml.Append("---\n");
            first = false;
            YamlBlockWriter.WriteDocument(yaml, document);
        }
        return yaml.ToString();
    }

    public static string ToJson(JsonNode document) => document.ToJsonString(JsonOptions);
}
