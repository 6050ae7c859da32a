using System.Text.Json.Nodes;
using Mesh.Config.Validation.Fields;

namespace Mesh.Kubernetes.Crds;

/// <summary>Turns Mesh's validation schema into the OpenAPI v3 subset a CRD takes (a structural schema): what the
/// schema states as data (types, fields, required, oneof groups, enums, bounds) carries over; its rules are functions,
/// which the API server cannot run, so the validating webhook applies them with Mesh's own errors.</summary>
internal static class StructuralSchema
{
    public const string PreserveUnknownFields = "x-kubernetes-preserve-unknown-fields";

    // Deeper than any Istio message; a schema that nests further is a cycle, which a CRD cannot express.
    private const int MaxDepth = 32;

    public static JsonObject Of(FieldSchema schema) => Of(schema, 0);

    private static JsonObject Of(FieldSchema schema, int depth)
    {
        if (depth > MaxDepth) throw new InvalidOperationException($"the schema nests deeper than {MaxDepth} levels");
        return schema switch
        {
            ObjectSchema obj => Object(obj, depth),
            ListSchema list => new JsonObject { ["type"] = "array", ["items"] = Of(list.Item, depth + 1) },
            MapSchema map => new JsonObject { ["type"] = "object", ["additionalProperties"] = Of(map.Value, depth + 1) },
            EnumSchema e => new JsonObject { ["type"] = "string", ["enum"] = new JsonArray([.. e.Values.Select(v => JsonValue.Create(v))]) },
            StringSchema => new JsonObject { ["type"] = "string" },
            BoolSchema => new JsonObject { ["type"] = "boolean" },
            IntegerSchema i => Integer(i),
            NumberSchema n => new JsonObject { ["type"] = "number", ["format"] = "double", ["minimum"] = n.Min, ["maximum"] = n.Max },
            // A kind of node the walker does not know (a field refused whatever it holds): let the value through to the
            // webhook, which refuses it with Mesh's reason, rather than have the API server prune it silently.
            _ => new JsonObject { [PreserveUnknownFields] = true },
        };
    }

    private static JsonObject Object(ObjectSchema obj, int depth)
    {
        var properties = new JsonObject();
        foreach (var (name, field) in obj.Fields) properties[name] = Of(field, depth + 1);
        var node = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (obj.Required.Count > 0) node["required"] = Strings(obj.Required.Distinct());
        var choices = obj.Choices.Select(Choice).ToList();
        if (choices.Count == 1) node["oneOf"] = choices[0];
        if (choices.Count > 1) node["allOf"] = new JsonArray([.. choices.Select(c => new JsonObject { ["oneOf"] = c })]);
        return node;
    }

    /// <summary>A protobuf oneof as OpenAPI says it: exactly one of the branches "a is set", "b is set", and, when none
    /// may be set, "none of them is set". Two set fields match two branches, which oneOf refuses.</summary>
    private static JsonArray Choice((string[] Names, bool ExactlyOne) choice)
    {
        var branches = new JsonArray();
        if (!choice.ExactlyOne)
        {
            branches.Add(new JsonObject { ["not"] = new JsonObject { ["anyOf"] = new JsonArray([.. choice.Names.Select(Set)]) } });
        }
        foreach (var name in choice.Names) branches.Add(Set(name));
        return branches;
    }

    private static JsonObject Set(string name) => new() { ["required"] = Strings([name]) };

    private static JsonObject Integer(IntegerSchema schema)
    {
        var int32 = schema.Min >= int.MinValue && schema.Max <= int.MaxValue;
        var node = new JsonObject { ["type"] = "integer", ["format"] = int32 ? "int32" : "int64" };
        if (schema.Min != (int32 ? int.MinValue : long.MinValue)) node["minimum"] = schema.Min;
        if (schema.Max != (int32 ? int.MaxValue : long.MaxValue)) node["maximum"] = schema.Max;
        return node;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => JsonValue.Create(v))]);
}
