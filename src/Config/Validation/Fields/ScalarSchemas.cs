using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mesh.Config.Validation.Fields;

/// <summary>A string, optionally with rules its content must follow (each returns a reason, or null when fine).</summary>
internal sealed class StringSchema(IReadOnlyList<Func<string, string?>> rules) : FieldSchema
{
    public override string Expected => "a string";

    public StringSchema With(Func<string, string?> rule) => new([.. rules, rule]);

    public override void Check(JsonNode? node, string path, Problems problems)
    {
        if (!FieldPath.IsString(node, out var text))
        {
            WrongType(node, path, problems);
            return;
        }
        foreach (var rule in rules)
        {
            if (rule(text) is { } reason) problems.Error(path, reason);
        }
    }
}

/// <summary>An integer within bounds.</summary>
internal sealed class IntegerSchema(long min, long max) : FieldSchema
{
    public override string Expected => "an integer";

    public long Min => min;

    public long Max => max;

    public override void Check(JsonNode? node, string path, Problems problems)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            WrongType(node, path, problems);
            return;
        }
        var text = value.ToJsonString();
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            var isWhole = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d)
                          && d >= min && d <= max;
            if (isWhole) return;
            problems.Error(path, text.Contains('.') || text.Contains('e') || text.Contains('E')
                ? $"expected an integer, got {text}"
                : $"{Rules.Names.Short(text, 24)} is out of range {min}..{max}");
            return;
        }
        if (number < min || number > max) problems.Error(path, $"{number} is out of range {min}..{max}");
    }

}

/// <summary>A floating-point number within bounds (<c>percentage.value</c>).</summary>
internal sealed class NumberSchema(double min, double max) : FieldSchema
{
    public override string Expected => "a number";

    public double Min => min;

    public double Max => max;

    public override void Check(JsonNode? node, string path, Problems problems)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
        {
            WrongType(node, path, problems);
            return;
        }
        var number = double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (number < min || number > max)
        {
            problems.Error(path, $"{number.ToString(CultureInfo.InvariantCulture)} is out of range {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}");
        }
    }
}

internal sealed class BoolSchema : FieldSchema
{
    public override string Expected => "a bool";

    public override void Check(JsonNode? node, string path, Problems problems)
    {
        if (node is not JsonValue value || value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            WrongType(node, path, problems);
        }
    }
}

/// <summary>One of a fixed set of strings, spelt exactly as Istio spells them.</summary>
internal sealed class EnumSchema(IReadOnlyList<string> values) : FieldSchema
{
    public override string Expected => "a string";

    public IReadOnlyList<string> Values => values;

    public override void Check(JsonNode? node, string path, Problems problems)
    {
        if (!FieldPath.IsString(node, out var text))
        {
            WrongType(node, path, problems);
            return;
        }
        if (values.Contains(text)) return;
        var closest = Suggestions.Closest(text, values);
        var hint = closest is null ? "" : $", did you mean \"{closest}\"?";
        problems.Error(path, $"\"{Rules.Names.Short(text)}\" is not one of {string.Join(", ", values)}{hint}");
    }
}
