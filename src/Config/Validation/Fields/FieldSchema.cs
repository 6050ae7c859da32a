using System.Text.Json.Nodes;

namespace Mesh.Config.Validation.Fields;

/// <summary>The expected shape of one JSON value, and the rules its content must follow.</summary>
internal abstract class FieldSchema
{
    /// <summary>What the value should be, for "expected a list, got a string".</summary>
    public abstract string Expected { get; }

    /// <summary>Checks a value that is present (null counts as present here; objects skip null fields before calling).</summary>
    public abstract void Check(JsonNode? node, string path, Problems problems);

    protected bool WrongType(JsonNode? node, string path, Problems problems)
    {
        problems.Error(path, $"expected {Expected}, got {FieldPath.Describe(node)}");
        return true;
    }
}
