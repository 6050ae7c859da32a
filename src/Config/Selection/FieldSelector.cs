namespace Mesh.Config.Selection;

/// <summary>A Kubernetes field selector over the fields every resource has: <c>metadata.name</c> and
/// <c>metadata.namespace</c>, with <c>=</c>, <c>==</c> or <c>!=</c> (<c>metadata.name=reviews,metadata.namespace!=test</c>).</summary>
public sealed class FieldSelector
{
    public const string Name = "metadata.name";
    public const string Namespace = "metadata.namespace";

    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> _requirements;

    private FieldSelector(IReadOnlyList<(string, bool, string)> requirements) => _requirements = requirements;

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEverything => _requirements.Count == 0;

    /// <summary>The one namespace the selector allows, when it names one with <c>metadata.namespace=</c>.</summary>
    public string? OnlyNamespace => _requirements.FirstOrDefault(r => r.Field == Namespace && r.Equal).Value;

    public bool Matches(string @namespace, string name)
    {
        foreach (var (field, equal, value) in _requirements)
        {
            if ((field == Name ? name : @namespace) == value != equal) return false;
        }
        return true;
    }

    /// <exception cref="SelectorException">The selector cannot be read, or names another field; it says where.</exception>
    public static FieldSelector Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) return Everything;
        var reader = new SelectorReader(selector);
        var requirements = new List<(string, bool, string)>();
        while (true)
        {
            var field = reader.Next();
            if (field.Kind != SelectorTokenKind.Identifier || field.Text is not (Name or Namespace))
            {
                throw reader.Error(field, $"expected {Name} or {Namespace} (the fields Mesh selects on), found {field.Describe()}");
            }
            var op = reader.Next();
            if (op.Kind is not (SelectorTokenKind.Equals or SelectorTokenKind.NotEquals))
            {
                throw reader.Error(op, $"expected =, == or != after {field.Text}, found {op.Describe()}");
            }
            var value = reader.Peek();
            var text = "";
            if (value.Kind == SelectorTokenKind.Identifier) { reader.Next(); text = value.Text; }
            requirements.Add((field.Text, op.Kind == SelectorTokenKind.Equals, text));
            var next = reader.Next();
            if (next.Kind == SelectorTokenKind.End) return new FieldSelector(requirements);
            if (next.Kind != SelectorTokenKind.Comma) throw reader.Error(next, $"expected ',' or the end, found {next.Describe()}");
        }
    }
}
