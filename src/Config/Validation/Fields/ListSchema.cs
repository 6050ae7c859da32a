using System.Text.Json.Nodes;

namespace Mesh.Config.Validation.Fields;

/// <summary>A list whose items all follow one schema, with optional list-wide rules (non-empty, unique).</summary>
internal sealed class ListSchema(FieldSchema item) : FieldSchema
{
    private readonly List<Action<JsonArray, string, Problems>> _rules = [];

    public override string Expected => "a list";

    public FieldSchema Item => item;

    public ListSchema NonEmpty(string? reason = null)
        => Rule((list, path, problems) =>
        {
            if (list.Count == 0) problems.Error(path, reason ?? "must not be empty");
        });

    /// <summary>String items (or a field of object items) must not repeat.</summary>
    public ListSchema Unique(Func<JsonNode?, string?>? keyOf = null, string what = "value")
        => Rule((list, path, problems) =>
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < list.Count; i++)
            {
                var key = keyOf is null ? (FieldPath.IsString(list[i], out var s) ? s : null) : keyOf(list[i]);
                if (key is not null && !seen.Add(key)) problems.Error(FieldPath.Index(path, i), $"duplicate {what} \"{Rules.Names.Short(key)}\"");
            }
        });

    public ListSchema Rule(Action<JsonArray, string, Problems> rule)
    {
        _rules.Add(rule);
        return this;
    }

    public override void Check(JsonNode? node, string path, Problems problems)
    {
        if (node is not JsonArray list)
        {
            WrongType(node, path, problems);
            return;
        }
        for (var i = 0; i < list.Count; i++) item.Check(list[i], FieldPath.Index(path, i), problems);
        foreach (var rule in _rules) rule(list, path, problems);
    }
}
