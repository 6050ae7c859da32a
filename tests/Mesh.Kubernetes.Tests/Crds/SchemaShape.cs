using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesh.Kubernetes.Tests.Crds;

/// <summary>What the API server checks of a custom object against its CRD's structural schema, for the keywords the
/// generator writes: type, properties (an unknown field is an error, as with kubectl's strict field validation),
/// additionalProperties, items, required, enum, minimum/maximum, oneOf/allOf/anyOf/not. Errors carry the field path.</summary>
internal static class SchemaShape
{
    public static List<string> Check(JsonNode? value, JsonObject schema, string path = "")
    {
        var errors = new List<string>();
        Walk(value, schema, path, errors);
        return errors;
    }

    private static void Walk(JsonNode? value, JsonObject schema, string path, List<string> errors)
    {
        if (schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true && schema["type"] is null) return;
        var type = schema["type"]?.GetValue<string>();
        if (type is not null && !HasType(value, type))
        {
            errors.Add($"{path}: expected {type}");
            return;
        }
        if (value is JsonObject obj) Object(obj, schema, path, errors);
        if (value is JsonArray list && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < list.Count; i++) Walk(list[i], items, $"{path}[{i}]", errors);
        }
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value))) errors.Add($"{path}: not one of the enum values");
        if (value is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
        {
            var n = Number(number);
            if (schema["minimum"] is { } min && n < Number(min)) errors.Add($"{path}: below minimum");
            if (schema["maximum"] is { } max && n > Number(max)) errors.Add($"{path}: above maximum");
        }
        if (schema["oneOf"] is JsonArray oneOf && oneOf.Count(b => Check(value, b!.AsObject(), path).Count == 0) != 1) errors.Add($"{path}: oneOf not satisfied");
        if (schema["anyOf"] is JsonArray anyOf && !anyOf.Any(b => Check(value, b!.AsObject(), path).Count == 0)) errors.Add($"{path}: anyOf not satisfied");
        if (schema["not"] is JsonObject not && Check(value, not, path).Count == 0) errors.Add($"{path}: matches a schema it must not");
        foreach (var part in schema["allOf"] as JsonArray ?? []) Walk(value, part!.AsObject(), path, errors);
    }

    private static void Object(JsonObject obj, JsonObject schema, string path, List<string> errors)
    {
        foreach (var required in schema["required"] as JsonArray ?? [])
        {
            if (obj[required!.GetValue<string>()] is null) errors.Add($"{Field(path, required.GetValue<string>())}: required");
        }
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        foreach (var (name, field) in obj)
        {
            if (properties?[name] is JsonObject known) Walk(field, known, Field(path, name), errors);
            else if (additional is not null) Walk(field, additional, Field(path, name), errors);
            else if (properties is not null && !preserve) errors.Add($"{Field(path, name)}: unknown field");
        }
    }

    private static bool HasType(JsonNode? value, string type) => type switch
    {
        "object" => value is JsonObject,
        "array" => value is JsonArray,
        "string" => value is JsonValue v && v.GetValueKind() == JsonValueKind.String,
        "boolean" => value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "integer" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && !v.ToJsonString().Contains('.'),
        "number" => value is JsonValue v && v.GetValueKind() == JsonValueKind.Number,
        _ => false,
    };

    private static double Number(JsonNode node) => double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    private static string Field(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
