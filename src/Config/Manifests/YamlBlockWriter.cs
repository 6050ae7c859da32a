using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesh.Config.Manifests;

/// <summary>Block-style YAML for one JSON tree, quoting every string that would otherwise read back as something else.</summary>
internal static class YamlBlockWriter
{
    private const string Indicators = "-?:,[]{}#&*!|>'\"%@`";

    public static void WriteDocument(StringBuilder yaml, JsonNode? node)
    {
        if (IsBlock(node)) WriteBlock(yaml, node!, 0);
        else yaml.Append(Scalar(node)).Append('\n');
    }

    private static bool IsBlock(JsonNode? node) => node is JsonObject { Count: > 0 } or JsonArray { Count: > 0 };

    /// <summary>Writes a non-empty map or list whose first line starts at the current position, later lines at <paramref name="indent"/>.</summary>
    private static void WriteBlock(StringBuilder yaml, JsonNode node, int indent)
    {
        var first = true;
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (!first) yaml.Append(' ', indent);
                first = false;
                yaml.Append(Text(key)).Append(':');
                WriteValue(yaml, value, indent + 2);
            }
            return;
        }
        foreach (var item in (JsonArray)node)
        {
            if (!first) yaml.Append(' ', indent);
            first = false;
            yaml.Append('-');
            if (item is JsonObject { Count: > 0 })
            {
                yaml.Append(' ');
                WriteBlock(yaml, item, indent + 2);
            }
            else
            {
                WriteValue(yaml, item, indent + 2);
            }
        }
    }

    private static void WriteValue(StringBuilder yaml, JsonNode? value, int indent)
    {
        if (IsBlock(value))
        {
            yaml.Append('\n').Append(' ', indent);
            WriteBlock(yaml, value!, indent);
        }
        else
        {
            yaml.Append(' ').Append(Scalar(value)).Append('\n');
        }
    }

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => Text(value.GetValue<string>()),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => value.ToJsonString(),
            _ => "null",
        },
        _ => "null",
    };

    /// <summary>A string as a plain scalar when that reads back as the same string, else double-quoted.</summary>
    public static string Text(string text) => NeedsQuotes(text) ? Quote(text) : text;

    private static bool NeedsQuotes(string text)
    {
        if (text.Length == 0 || YamlScalars.ReadsAsNonString(text)) return true;
        if (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]) || Indicators.Contains(text[0])) return true;
        if (text.StartsWith("---", StringComparison.Ordinal) || text.StartsWith("...", StringComparison.Ordinal)) return true;
        if (text.Contains(": ", StringComparison.Ordinal) || text.Contains(" #", StringComparison.Ordinal) || text.EndsWith(':')) return true;
        foreach (var c in text)
        {
            if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF' or '\t') return true;
        }
        return false;
    }

    private static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF')
                    {
                        quoted.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        quoted.Append(c);
                    }
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }
}
