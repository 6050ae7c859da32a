using System.Text.Json.Nodes;

namespace Mesh.Xds.Translation.Security;

/// <summary>Reads the string lists security specs are made of (principals, paths, values...).</summary>
internal static class SecurityJson
{
    /// <summary>An absent field reads as an empty list, which the translators treat as "no constraint".</summary>
    public static IReadOnlyList<string> Strings(this JsonNode? node, string field)
        => node.Array(field).Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToList();
}
