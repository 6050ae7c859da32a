using System.Text.Json.Nodes;

namespace Mesh.Config.Validation.Fields;

/// <summary>An object with known fields: unknown ones are errors (with a suggestion), and whole-object rules run after
/// the fields (required fields, mutually exclusive fields, cross-field checks).</summary>
internal sealed class ObjectSchema : FieldSchema
{
    private readonly Dictionary<string, FieldSchema> _fields;
    private readonly List<Action<JsonObject, string, Problems>> _rules = [];
    private readonly List<string> _required = [];
    private readonly List<(string[] Names, bool ExactlyOne)> _choices = [];

    public ObjectSchema(IEnumerable<(string Name, FieldSchema Schema)> fields)
        => _fields = fields.ToDictionary(f => f.Name, f => f.Schema, StringComparer.Ordinal);

    public override string Expected => "an object";


    /// <summary>Each field's schema, for walking the DSL (the fuzz tests generate documents from it).</summary>
    public IReadOnlyDictionary<string, FieldSchema> Fields => _fields;

    /// <summary>The fields <see cref="Require"/> named.</summary>
    public IReadOnlyList<string> Required => _required;

    /// <summary>The groups <see cref="AtMostOne"/> and <see cref="ExactlyOne"/> named.</summary>
    public IReadOnlyList<(string[] Names, bool ExactlyOne)> Choices => _choices;

    /// <summary>Fields that must be present and not null.</summary>
    public ObjectSchema Require(params string[] names)
    {
        _required.AddRange(names);
        return Rule((obj, path, problems) =>
        {
            foreach (var name in names)
            {
                if (obj[name] is null) problems.Error(FieldPath.Field(path, name), "required");
            }
        });
    }

    /// <summary>Fields of which at most one may be set (a protobuf <c>oneof</c>).</summary>
    public ObjectSchema AtMostOne(params string[] names)
    {
        _choices.Add((names, false));
        return Rule((obj, path, problems) =>
        {
            var set = names.Where(n => obj[n] is not null).ToList();
            if (set.Count > 1) problems.Error(path, $"only one of {Quoted(names)} may be set, got {Quoted(set)}");
        });
    }

    /// <summary>Fields of which exactly one must be set.</summary>
    public ObjectSchema ExactlyOne(params string[] names)
    {
        _choices.Add((names, true));
        return Rule((obj, path, problems) =>
        {
            var set = names.Where(n => obj[n] is not null).ToList();
            if (set.Count != 1) problems.Error(path, $"exactly one of {Quoted(names)} must be set, got {(set.Count == 0 ? "none" : Quoted(set))}");
        });
    }

    /// <summary>A check across fields; runs only when the value is an object.</summary>
    public ObjectSchema Rule(Action<JsonObject, string, Problems> rule)
    {
        _rules.Add(rule);
        return this;
    }

    public override void Check(JsonNode? node, string path, Problems problems)
    {
        if (node is not JsonObject obj)
        {
            WrongType(node, path, problems);
            return;
        }
        foreach (var (name, value) in obj)
        {
            var fieldPath = FieldPath.Field(path, name);
            if (!_fields.TryGetValue(name, out var schema))
            {
                problems.Error(fieldPath, Suggestions.UnknownField(name, _fields.Keys));
                continue;
            }
            if (value is not null) schema.Check(value, fieldPath, problems);
        }
        foreach (var rule in _rules) rule(obj, path, problems);
    }

    private static string Quoted(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"\"{n}\""));
}
