using System.Text;

namespace Mesh.Sidecar.Security.Matching;

/// <summary>RE2's limits, and its spellings .NET writes differently. The limits are the validator's: a pattern of at
/// most 1,024 characters (Istio's, standing in for RE2's program-size limit), and no repetition count above 1,000,
/// alone or multiplied through nested repetitions (RE2's kMaxRepeat). The spellings: <c>(?P&lt;name&gt;</c> is
/// <c>(?&lt;name&gt;</c>, <c>\pL</c> is <c>\p{L}</c>, and POSIX classes (<c>[[:digit:]]</c>) become ASCII ranges.</summary>
public static class Re2Syntax
{
    public const int MaxRepeat = 1000;
    public const int MaxLength = 1024;

    private static readonly Dictionary<string, string> PosixClasses = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z", ["alpha"] = "A-Za-z", ["ascii"] = @"\x00-\x7F", ["blank"] = @"\t ", ["cntrl"] = @"\x00-\x1F\x7F",
        ["digit"] = "0-9", ["graph"] = @"!-~", ["lower"] = "a-z", ["print"] = " -~", ["punct"] = @"!-/:-@\[-`{-~",
        ["space"] = @"\t\n\v\f\r ", ["upper"] = "A-Z", ["word"] = "0-9A-Za-z_", ["xdigit"] = "0-9A-Fa-f",
    };

    /// <returns>The pattern in .NET's syntax, or null with <paramref name="problem"/> set.</returns>
    public static string? Translate(string pattern, out string? problem)
    {
        problem = null;
        if (pattern.Length > MaxLength)
        {
            problem = $"regex is too large: at most {MaxLength} characters";
            return null;
        }
        var text = new StringBuilder(pattern.Length + 8);
        // The largest product of repetition counts inside each open group, and that of the group just closed.
        var groups = new Stack<int>();
        groups.Push(1);
        var closed = 0;
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            var atomInside = 1;
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[i + 1];
                if (next is 'p' or 'P' && i + 2 < pattern.Length && pattern[i + 2] != '{')
                {
                    text.Append('\\').Append(next).Append('{').Append(pattern[i + 2]).Append('}');
                    i += 2;
                }
                else
                {
                    text.Append(c).Append(next);
                    i++;
                }
            }
            else if (inClass)
            {
                if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':' && Posix(pattern, i) is { } posix)
                {
                    if (posix.Range is null)
                    {
                        problem = $"\"{pattern}\": the POSIX class {pattern[i..(posix.End + 1)]} is not supported (spell it as a range)";
                        return null;
                    }
                    text.Append(posix.Range);
                    i = posix.End;
                    continue;
                }
                if (c == ']') inClass = false;
                text.Append(c);
                continue;
            }
            else if (c == '[')
            {
                inClass = true;
                text.Append(c);
                // A ']' first in a class (or after '^') is a literal.
                if (i + 1 < pattern.Length && pattern[i + 1] == '^') text.Append(pattern[++i]);
                if (i + 1 < pattern.Length && pattern[i + 1] == ']') text.Append(pattern[++i]);
                continue;
            }
            else if (c == '(')
            {
                groups.Push(1);
                if (string.CompareOrdinal(pattern, i, "(?P<", 0, 4) == 0)
                {
                    text.Append("(?<");
                    i += 3;
                }
                else text.Append(c);
                continue;
            }
            else if (c == ')')
            {
                text.Append(c);
                if (groups.Count > 1)
                {
                    closed = groups.Pop();
                    atomInside = closed;
                    Note(groups, closed);
                }
            }
            else if (c == '{' && Repetition(pattern, i) is { } repetition)
            {
                // Applies to the atom before it: a group closed just now carries its inner product.
                var count = Math.Max(repetition.Min, repetition.Max ?? repetition.Min);
                if (repetition.Min > MaxRepeat || repetition.Max > MaxRepeat || (long)count * Math.Max(closed, 1) > MaxRepeat)
                {
                    problem = $"\"{pattern}\": bad repetition operator {pattern[i..(repetition.End + 1)]} (RE2 allows at most {MaxRepeat} repetitions, nested ones multiplied)";
                    return null;
                }
                Note(groups, count * Math.Max(closed, 1));
                text.Append(pattern, i, repetition.End - i + 1);
                i = repetition.End;
                closed = 0;
                continue;
            }
            else text.Append(c);
            closed = c == ')' ? atomInside : 0;
        }
        return text.ToString();
    }

    private static void Note(Stack<int> groups, int product)
    {
        var outer = groups.Pop();
        groups.Push(Math.Max(outer, product));
    }

    /// <summary><c>{n}</c>, <c>{n,}</c> or <c>{n,m}</c> at <paramref name="start"/>; anything else is a literal brace in RE2.</summary>
    private static (int Min, int? Max, int End)? Repetition(string pattern, int start)
    {
        var close = pattern.IndexOf('}', start);
        if (close < 0) return null;
        var body = pattern.AsSpan(start + 1, close - start - 1);
        var comma = body.IndexOf(',');
        var minText = comma < 0 ? body : body[..comma];
        if (minText.Length == 0 || !int.TryParse(minText, System.Globalization.NumberStyles.None, null, out var min)) return Overflowing(minText, close);
        if (comma < 0) return (min, min, close);
        var maxText = body[(comma + 1)..];
        if (maxText.Length == 0) return (min, null, close);
        return int.TryParse(maxText, System.Globalization.NumberStyles.None, null, out var max) ? (min, max, close) : Overflowing(maxText, close);
    }

    /// <summary>Digits too many for an int are still a repetition (one RE2 refuses).</summary>
    private static (int Min, int? Max, int End)? Overflowing(ReadOnlySpan<char> digits, int close)
        => digits.Length > 0 && !digits.ContainsAnyExceptInRange('0', '9') ? (int.MaxValue, null, close) : null;

    /// <summary><c>[:name:]</c> at <paramref name="start"/>: its ASCII range, or a null range for one .NET cannot
    /// spell (negated, or unknown); null when there is no such class there.</summary>
    private static (string? Range, int End)? Posix(string pattern, int start)
    {
        var end = pattern.IndexOf(":]", start + 2, StringComparison.Ordinal);
        if (end < 0) return null;
        var name = pattern.AsSpan(start + 2, end - start - 2);
        if (name.TrimStart('^').ContainsAnyExceptInRange('a', 'z')) return null;
        return (PosixClasses.GetValueOrDefault(name.ToString()), end + 1);
    }
}
