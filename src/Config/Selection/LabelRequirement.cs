namespace Mesh.Config.Selection;

public enum LabelOperator { Exists, DoesNotExist, Equals, NotEquals, In, NotIn, GreaterThan, LessThan }

/// <summary>One requirement of a label selector, with Kubernetes' semantics: <c>!=</c> and <c>notin</c> also match
/// an object without the label; <c>&gt;</c> and <c>&lt;</c> match only a label whose value is an integer.</summary>
public sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelOperator.Exists => has,
            LabelOperator.DoesNotExist => !has,
            LabelOperator.Equals => has && value == Values[0],
            LabelOperator.NotEquals => !has || value != Values[0],
            LabelOperator.In => has && Values.Contains(value!),
            LabelOperator.NotIn => !has || !Values.Contains(value!),
            LabelOperator.GreaterThan => has && Number(value!) is { } n && n > Number(Values[0]),
            LabelOperator.LessThan => has && Number(value!) is { } m && m < Number(Values[0]),
            _ => false,
        };
    }

    private static long? Number(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
}
