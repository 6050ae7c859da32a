namespace Mesh.Config.Selection;

/// <summary>kubectl's equality-based label selector: <c>app=reviews,version!=v1,tier,!canary</c>
/// (<c>==</c> works as <c>=</c>; set-based <c>in (...)</c> too).</summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> _requirements;

    private LabelSelector(IReadOnlyList<Func<IReadOnlyDictionary<string, string>, bool>> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.All(requirement => requirement(labels));

    /// <exception cref="FormatException">The selector cannot be read; the message says which part.</exception>
    public static LabelSelector Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector)) return Everything;
        var requirements = new List<Func<IReadOnlyDictionary<string, string>, bool>>();
        foreach (var part in SplitTopLevel(selector))
        {
            requirements.Add(ParseRequirement(part.Trim(), selector));
        }
        return new LabelSelector(requirements);
    }

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string part, string selector)
    {
        if (part.Length == 0) throw new FormatException($"label selector '{selector}' has an empty requirement");
        var setMatch = System.Text.RegularExpressions.Regex.Match(part, @"^([^\s!=]+)\s+(in|notin)\s*\(([^)]*)\)$");
        if (setMatch.Success)
        {
            var key = Key(setMatch.Groups[1].Value, selector);
            var values = setMatch.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            if (values.Count == 0)
            {
                // As kubectl: an empty set is a typo, not a selector that matches nothing (or everything, for notin).
                throw new FormatException($"label selector '{selector}': '{part}' needs at least one value");
            }
            return setMatch.Groups[2].Value == "in"
                ? labels => labels.TryGetValue(key, out var v) && values.Contains(v)
                : labels => !labels.TryGetValue(key, out var v) || !values.Contains(v);
        }
        if (part.Contains("!="))
        {
            var (key, value) = Pair(part, "!=", selector);
            return labels => !labels.TryGetValue(key, out var v) || v != value;
        }
        if (part.Contains('='))
        {
            var (key, value) = Pair(part, part.Contains("==") ? "==" : "=", selector);
            return labels => labels.TryGetValue(key, out var v) && v == value;
        }
        if (part.StartsWith('!'))
        {
            var key = Key(part[1..], selector);
            return labels => !labels.ContainsKey(key);
        }
        var present = Key(part, selector);
        return labels => labels.ContainsKey(present);
    }

    private static (string, string) Pair(string part, string op, string selector)
    {
        var index = part.IndexOf(op, StringComparison.Ordinal);
        return (Key(part[..index], selector), part[(index + op.Length)..].Trim());
    }

    private static string Key(string key, string selector)
    {
        key = key.Trim();
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '!' or '='))
        {
            throw new FormatException($"label selector '{selector}': '{key}' is not a label key");
        }
        return key;
    }

    private static IEnumerable<string> SplitTopLevel(string selector)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < selector.Length; i++)
        {
            if (selector[i] == '(') depth++;
            else if (selector[i] == ')') depth--;
            else if (selector[i] == ',' && depth == 0)
            {
                yield return selector[start..i];
                start = i + 1;
            }
        }
        yield return selector[start..];
    }
}
