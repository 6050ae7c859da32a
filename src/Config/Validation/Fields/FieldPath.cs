using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesh.Config.Validation.Fields;

/// <summary>Builds field paths as users read them: <c>spec.http[0].route[1].destination</c>.</summary>
internal static class FieldPath
{
    public static string Field(string path, string name)
    {
        var plain = name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
        // Keys are user text: shown as error messages show it (short, controls escaped), quoted unless a plain name.
        var shown = Rules.Names.Short(name, 128);
        var segment = plain ? shown : $"[\"{shown.Replace("\"", "\\\"", StringComparison.Ordinal)}\"]";
        return path.Length == 0 ? segment.TrimStart('.') : plain ? $"{path}.{segment}" : path + segment;
    }

    public static string Index(string path, int index) => $"{path}[{index}]";

    /// <summary>What a JSON node is, for "expected X, got Y".</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a bool",
            _ => "null",
        },
        _ => "something else",
    };

    /// <summary>Walks object fields without throwing when a value along the way is not an object.</summary>
    public static JsonNode? Get(JsonNode? node, params string[] fields)
    {
        foreach (var field in fields)
        {
            node = (node as JsonObject)?[field];
        }
        return node;
    }

    public static bool IsString(JsonNode? node, out string text)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            text = value.GetValue<string>();
            return true;
        }
        text = "";
        return false;
    }
}
