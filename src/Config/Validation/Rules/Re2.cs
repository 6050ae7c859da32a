using System.Text;
using System.Text.RegularExpressions;

namespace Mesh.Config.Validation.Rules;

/// <summary>The mesh's one regex dialect, RE2's, as Envoy runs it: what the validator refuses before a pattern is stored
/// and the sidecar refuses before it runs one are the same check, and both read the pattern through the same
/// translation into .NET's spelling.</summary>
public static class Re2
{
    /// <summary>Istio's validateStringRegexp: longer patterns are refused, standing in for Envoy's RE2 program-size limit.</summary>
    public const int MaxLength = 1024;

    /// <summary>POSIX classes (<c>[[:digit:]]</c>, inside a class) as the ASCII ranges RE2 gives them.</summary>
    internal static readonly IReadOnlyDictionary<string, string> PosixClasses = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z", ["alpha"] = "A-Za-z", ["ascii"] = @"\x00-\x7F", ["blank"] = @"\t ", ["cntrl"] = @"\x00-\x1F\x7F",
        ["digit"] = "0-9", ["graph"] = @"!-~", ["lower"] = "a-z", ["print"] = " -~", ["punct"] = @"!-/:-@\[-`{-~",
        ["space"] = @"\t\n\v\f\r ", ["upper"] = "A-Z", ["word"] = "0-9A-Za-z_", ["xdigit"] = "0-9A-Fa-f",
    };

    /// <summary>What is wrong with the pattern (RE2's syntax and limits, Istio's length), or null.</summary>
    public static string? Check(string pattern) => Check(pattern, out _);

    /// <summary>The same check; when it passes, <paramref name="dotNet"/> is the pattern in .NET's spelling (<see cref="ToDotNet"/>).</summary>
    public static string? Check(string pattern, out string dotNet)
    {
        dotNet = "";
        if (pattern.Length == 0) return "regex must not be empty";
        if (pattern.Length > MaxLength) return $"regex is too large: at most {MaxLength} characters (Istio's limit)";
        if (Re2Syntax.Check(pattern) is { } construct) return $"invalid regex \"{Names.Short(pattern)}\": {construct}";
        try
        {
            // Only parsed here, for syntax errors: what RE2 refuses and .NET accepts, Re2Syntax found already. (Building
            // a NonBacktracking engine would check that too, at ~2 ms a pattern; parsing costs ~10 µs, so a manifest
            // of many regexes costs what its size says.)
            var spelled = ToDotNet(pattern);
            _ = new Regex(spelled, RegexOptions.None, TimeSpan.FromSeconds(1));
            dotNet = spelled;
            return null;
        }
        catch (ArgumentException e)
        {
            return $"invalid regex \"{Names.Short(pattern)}\": {Names.Short(e.Message, 200)}";
        }
    }

    /// <summary>A pattern that passed <see cref="Check"/>, spelled for .NET: <c>(?P&lt;name&gt;</c> is
    /// <c>(?&lt;name&gt;</c>, <c>\pL</c> is <c>\p{L}</c>, POSIX classes and <c>\d \w \s</c> (and their negations
    /// outside a class) become ASCII ranges, as RE2 reads them.</summary>
    public static string ToDotNet(string pattern)
    {
        var text = new StringBuilder(pattern.Length + 8);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[i + 1];
                if (next is 'p' or 'P' && i + 2 < pattern.Length && pattern[i + 2] != '{')
                {
                    text.Append('\\').Append(next).Append('{').Append(pattern[i + 2]).Append('}');
                    i += 2;
                }
                else if (AsciiClass(next) is { } ascii && (!inClass || char.IsLower(next)))
                {
                    // RE2's \d, \w and \s are ASCII; .NET's would also match other scripts' digits, letters and spaces.
                    text.Append(inClass ? ascii : char.IsLower(next) ? $"[{ascii}]" : $"[^{ascii}]");
                    i++;
                }
                else
                {
                    text.Append(c).Append(next);
                    i++;
                }
            }
            else if (inClass)
            {
                if (c == '[' && Posix(pattern, i) is { } posix && PosixClasses.TryGetValue(posix.Name, out var range))
                {
                    text.Append(range);
                    i = posix.End;
                    continue;
                }
                if (c == ']') inClass = false;
                text.Append(c);
            }
            else if (c == '[')
            {
                inClass = true;
                text.Append(c);
                // A ']' first in a class (or after '^') is a literal.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^') text.Append(pattern[++i]);
                if (i + 1 < pattern.Length && pattern[i + 1] == ']') text.Append(pattern[++i]);
            }
            else if (string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0)
            {
                text.Append("(?<");
                i += 3;
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }

    private static string? AsciiClass(char escape) => char.ToLowerInvariant(escape) switch
    {
        'd' => "0-9",
        'w' => "0-9A-Za-z_",
        's' => @"\t\n\f\r ",
        _ => null,
    };

    /// <summary><c>[:name:]</c> at <paramref name="start"/> (the name may start with <c>^</c>), or null when there is none.</summary>
    internal static (string Name, int End)? Posix(string pattern, int start)
    {
        if (start + 1 >= pattern.Length || pattern[start + 1] != ':') return null;
        var end = pattern.IndexOf(":]", start + 2, StringComparison.Ordinal);
        return end < 0 ? null : (pattern[(start + 2)..end], end + 1);
    }
}
