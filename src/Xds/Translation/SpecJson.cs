using System.Globalization;
using System.Text.Json.Nodes;

namespace Mesh.Xds.Translation;

/// <summary>Reads fields of validated Istio specs: the validator already checked types and ranges, so absent or
/// mistyped values simply read as null.</summary>
internal static class SpecJson
{
    public static JsonObject? Obj(this JsonNode? node, string field) => (node as JsonObject)?[field] as JsonObject;

    public static JsonArray Array(this JsonNode? node, string field) => (node as JsonObject)?[field] as JsonArray ?? [];

    public static IEnumerable<JsonObject> Objects(this JsonNode? node, string field) => node.Array(field).OfType<JsonObject>();

    public static string? Str(this JsonNode? node, string field)
        => (node as JsonObject)?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Long(this JsonNode? node, string field)
        => (node as JsonObject)?[field] is JsonValue v && v.TryGetValue<double>(out var d) ? (long)d : null;

    public static double? Double(this JsonNode? node, string field)
        => (node as JsonObject)?[field] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    public static bool? Bool(this JsonNode? node, string field)
        => (node as JsonObject)?[field] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>A JSON map's entries sorted by key, so that output does not depend on document order.</summary>
    public static IEnumerable<KeyValuePair<string, JsonNode?>> SortedEntries(this JsonNode? node, string field)
        => node.Obj(field)?.OrderBy(e => e.Key, StringComparer.Ordinal) ?? Enumerable.Empty<KeyValuePair<string, JsonNode?>>();

    /// <summary>Istio's <c>Percent</c> (<c>{value: 12.5}</c>).</summary>
    public static double? Percent(this JsonNode? node, string field) => node.Obj(field).Double("value");

    public static string Invariant(this long value) => value.ToString(CultureInfo.InvariantCulture);
}
