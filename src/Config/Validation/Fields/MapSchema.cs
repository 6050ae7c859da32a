using System.Text.Json.Nodes;

namespace Mesh.Config.Validation.Fields;

/// <summary>An object used as a map (labels, header matches): any keys, one schema for the values.</summary>
internal sealed class MapSchema(FieldSchema value, Func<string, string?>? keyRule = null) : FieldSchema
{
    public override string Expected => "a map";

    public FieldSchema Value => value;

    public override void Check(JsonNode? node, string path, Problems problems)
    {
        if (node is not JsonObject map)
        {
            WrongType(node, path, problems);
            return;
        }
        foreach (var (key, item) in map)
        {
            var itemPath = FieldPath.Field(path, key);
            if (keyRule?.Invoke(key) is { } reason) problems.Error(itemPath, $"invalid key \"{Rules.Names.Short(key)}\": {reason}");
            value.Check(item, itemPath, problems);
        }
    }
}
