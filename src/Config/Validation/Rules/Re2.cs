using System.Text.RegularExpressions;

namespace Mesh.Config.Validation.Rules;

/// <summary>Checks that a regex is one Envoy can run: RE2 syntax, so no backtracking-only constructs.</summary>
internal static class Re2
{
    private const int MaxLength = 4096;

    private static readonly (string Token, string Construct)[] Unsupported =
    [
        ("(?=", "lookahead"), ("(?!", "negative lookahead"), ("(?<=", "lookbehind"), ("(?<!", "negative lookbehind"),
        ("(?>", "an atomic group"), ("(?(", "a conditional"), ("\\k<", "a named backreference"), ("\\k'", "a named backreference"),
        ("\\g", "a backreference"), ("*+", "a possessive quantifier"), ("++", "a possessive quantifier"),
        ("?+", "a possessive quantifier"), ("}+", "a possessive quantifier"), ("\\Z", "\\Z (use \\z)"),
        ("\\G", "\\G"), ("(?#", "an inline comment"),
    ];

    public static string? Check(string pattern)
    {
        if (pattern.Length > MaxLength) return $"regex is longer than {MaxLength} characters";
        if (Scan(pattern) is { } construct) return $"invalid regex \"{Names.Short(pattern)}\": RE2 does not support {construct}";
        try
        {
            // .NET spells RE2's (?P<name>...) as (?<name>...); NonBacktracking refuses what needs backtracking.
            _ = new Regex(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (NotSupportedException)
        {
            return $"invalid regex \"{Names.Short(pattern)}\": uses a construct RE2 does not support";
        }
        catch (ArgumentException e)
        {
            return $"invalid regex \"{Names.Short(pattern)}\": {e.Message}";
        }
    }

    private static string? Scan(string pattern)
    {
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '[' && !inClass) inClass = true;
            else if (pattern[i] == ']' && inClass) inClass = false;
            if (pattern[i] == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[i + 1];
                if (next is >= '1' and <= '9') return $"backreferences (\\{next})";
                foreach (var (token, construct) in Unsupported)
                {
                    if (token[0] == '\\' && string.CompareOrdinal(pattern, i, token, 0, token.Length) == 0) return construct;
                }
                i++;
                continue;
            }
            if (inClass) continue;
            foreach (var (token, construct) in Unsupported)
            {
                if (token[0] != '\\' && string.CompareOrdinal(pattern, i, token, 0, token.Length) == 0) return construct;
            }
        }
        return null;
    }
}
