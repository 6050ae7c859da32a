using System.Text.Json.Nodes;

namespace Mesh.Config.Views;

/// <summary>Reads fields of a spec the validator accepted, for the view builders only: types and ranges were checked
/// there, so an absent or mistyped value simply reads as null (or empty).</summary>
internal static class SpecReader
{
    public static JsonObject? Obj(this JsonNode? node, string field) => (node as JsonObject)?[field] as JsonObject;

    public static bool Has(this JsonNode? node, string field) => (node as JsonObject)?[field] is not null;

    public static IEnumerable<JsonObject> Objects(this JsonNode? node, string field)
        => ((node as JsonObject)?[field] as JsonArray ?? []).OfType<JsonObject>();

    public static string? Str(this JsonNode? node, string field)
        => (node as JsonObject)?[field] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Long(this JsonNode? node, string field)
        => (node as JsonObject)?[field] is JsonValue v && v.TryGetValue<double>(out var d) ? (long)d : null;

    public static double? Double(this JsonNode? node, string field)
        => (node as JsonObject)?[field] is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    public static bool? Bool(this JsonNode? node, string field)
        => (node as JsonObject)?[field] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>Istio's <c>Percent</c> (<c>{value: 12.5}</c>).</summary>
    public static double? Percent(this JsonNode? node, string field) => node.Obj(field).Double("value");

    /// <summary>A Go duration (<c>1.5s</c>) in nanoseconds.</summary>
    public static long? Nanos(this JsonNode? node, string field)
        => node.Str(field) is { } text ? Text.GoDuration.Nanoseconds(text) : null;

    /// <summary>A string list; an absent field is empty, which consumers read as "no constraint".</summary>
    public static IReadOnlyList<string> Strings(this JsonNode? node, string field)
        => [.. ((node as JsonObject)?[field] as JsonArray ?? []).Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>()];

    /// <summary>A string list, or null when the field is absent (where absent and empty mean different things).</summary>
    public static IReadOnlyList<string>? StringsOrNull(this JsonNode? node, string field)
        => (node as JsonObject)?[field] is JsonArray ? node.Strings(field) : null;

    /// <summary>A map sorted by key, so that what is built from it does not depend on document order.</summary>
    public static IReadOnlyDictionary<string, T> Map<T>(this JsonNode? node, string field, Func<JsonNode?, T> read)
    {
        var map = new SortedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Obj(field) ?? []) map[key] = read(value);
        return map;
    }

    /// <summary>A map of strings (labels, header values); a non-string value reads as empty.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(this JsonNode? node, string field)
        => node.Map(field, v => v is JsonValue s && s.TryGetValue<string>(out var text) ? text : "");
}
