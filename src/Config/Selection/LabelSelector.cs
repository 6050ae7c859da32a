using Mesh.Config.Validation.Rules;

namespace Mesh.Config.Selection;

/// <summary>A Kubernetes label selector in its string form: <c>app=reviews,version!=v1,tier,!canary</c>,
/// <c>version in (v1,v2)</c>, <c>track notin (canary)</c>, <c>replicas&gt;2</c>; <c>==</c> is <c>=</c>.
/// Read with Kubernetes' grammar and rules for keys and values; an error names the position where it stopped.
/// (KubernetesClient ships only the <c>V1LabelSelector</c> model, no parser of this form.)</summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<LabelRequirement> _requirements;

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEverything => _requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var requirement in _requirements)
        {
            if (!requirement.Matches(labels)) return false;
        }
        return true;
    }

    /// <exception cref="SelectorException">The selector cannot be read; it says why and where.</exception>
    public static LabelSelector Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) return Everything;
        var reader = new SelectorReader(selector);
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            requirements.Add(Requirement(reader));
            var next = reader.Next();
            if (next.Kind == SelectorTokenKind.End) return new LabelSelector(requirements);
            if (next.Kind != SelectorTokenKind.Comma) throw reader.Error(next, $"expected ',' or the end, found {next.Describe()}");
        }
    }

    private static LabelRequirement Requirement(SelectorReader reader)
    {
        var first = reader.Next();
        if (first.Kind == SelectorTokenKind.Not)
        {
            var key = Key(reader, reader.Next());
            var after = reader.Peek();
            if (after.Kind is not (SelectorTokenKind.Comma or SelectorTokenKind.End))
            {
                throw reader.Error(after, $"'!{key}' takes no operator, found {after.Describe()}");
            }
            return new LabelRequirement(key, LabelOperator.DoesNotExist, []);
        }
        var name = Key(reader, first);
        var op = reader.Peek();
        switch (op.Kind)
        {
            case SelectorTokenKind.Comma or SelectorTokenKind.End:
                return new LabelRequirement(name, LabelOperator.Exists, []);
            case SelectorTokenKind.Equals or SelectorTokenKind.NotEquals:
                reader.Next();
                return new LabelRequirement(name, op.Kind == SelectorTokenKind.Equals ? LabelOperator.Equals : LabelOperator.NotEquals, [Value(reader)]);
            case SelectorTokenKind.In or SelectorTokenKind.NotIn:
                reader.Next();
                return new LabelRequirement(name, op.Kind == SelectorTokenKind.In ? LabelOperator.In : LabelOperator.NotIn, Set(reader));
            case SelectorTokenKind.GreaterThan or SelectorTokenKind.LessThan:
                reader.Next();
                var number = reader.Next();
                if (number.Kind != SelectorTokenKind.Identifier || !long.TryParse(number.Text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    throw reader.Error(number, $"'{op.Text}' needs an integer, found {number.Describe()}");
                }
                return new LabelRequirement(name, op.Kind == SelectorTokenKind.GreaterThan ? LabelOperator.GreaterThan : LabelOperator.LessThan, [number.Text]);
            default:
                throw reader.Error(op, $"expected an operator (=, ==, !=, in, notin, >, <), ',' or the end after '{name}', found {op.Describe()}");
        }
    }

    private static string Key(SelectorReader reader, SelectorToken token)
    {
        if (token.Kind != SelectorTokenKind.Identifier) throw reader.Error(token, $"expected a label key, found {token.Describe()}");
        if (Names.LabelKey(token.Text) is { } problem) throw reader.Error(token, $"'{Names.Short(token.Text)}' is not a label key: {problem}");
        return token.Text;
    }

    /// <summary>A value after <c>=</c> or <c>!=</c>; it may be empty (<c>note=</c>), as Kubernetes allows.</summary>
    private static string Value(SelectorReader reader)
    {
        var token = reader.Peek();
        if (token.Kind is SelectorTokenKind.Comma or SelectorTokenKind.End) return "";
        reader.Next();
        if (token.Kind is not (SelectorTokenKind.Identifier or SelectorTokenKind.In or SelectorTokenKind.NotIn))
        {
            throw reader.Error(token, $"expected a label value, found {token.Describe()}");
        }
        if (Names.LabelValue(token.Text) is { } problem) throw reader.Error(token, problem);
        return token.Text;
    }

    private static string[] Set(SelectorReader reader)
    {
        var open = reader.Next();
        if (open.Kind != SelectorTokenKind.Open) throw reader.Error(open, $"expected '(' after in/notin, found {open.Describe()}");
        if (reader.Peek() is { Kind: SelectorTokenKind.Close } close)
        {
            // As Kubernetes: an empty set is a typo, not a selector that matches nothing (or everything, for notin).
            throw reader.Error(close, "in and notin need at least one value");
        }
        var values = new List<string>();
        while (true)
        {
            var token = reader.Peek();
            values.Add(token.Kind is SelectorTokenKind.Comma or SelectorTokenKind.Close ? "" : Value(reader));
            var next = reader.Next();
            if (next.Kind == SelectorTokenKind.Close) return [.. values];
            if (next.Kind != SelectorTokenKind.Comma) throw reader.Error(next, $"expected ',' or ')', found {next.Describe()}");
        }
    }
}
