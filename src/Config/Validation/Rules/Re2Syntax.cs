using System.Globalization;

namespace Mesh.Config.Validation.Rules;

/// <summary>Walks a pattern the way RE2's parser does, for what RE2 refuses and .NET accepts: backtracking-only
/// constructs, Perl and .NET escapes RE2 lacks, flags other than <c>imsU</c>, and repetition counts above 1000, alone
/// or multiplied through nested groups (RE2 and Go both refuse <c>(a{100}){100}</c>). Plain syntax errors are left
/// to the .NET parser that runs after it.</summary>
internal sealed class Re2Syntax
{
    /// <summary>RE2's (and Go's) limit on a counted repetition, and on counts multiplied through nesting.</summary>
    private const int MaxRepeat = 1000;

    private readonly string _pattern;
    private int _position;

    private Re2Syntax(string pattern) => _pattern = pattern;

    /// <summary>What RE2 would refuse in the pattern, named, or null.</summary>
    public static string? Check(string pattern)
    {
        var syntax = new Re2Syntax(pattern);
        try
        {
            var root = syntax.Sequence(inGroup: false);
            return WithinRepeatLimit(root, MaxRepeat) ? null : $"nested repetitions multiply to more than {MaxRepeat}, RE2's limit";
        }
        catch (Refused refused)
        {
            return refused.Message;
        }
    }

    /// <summary>A node of the pattern: a group or an atom, and the counted repetition applied to it (0 when none).</summary>
    private sealed class Node
    {
        public List<Node> Children { get; } = [];
        public int Repeat { get; set; }
    }

    private sealed class Refused(string construct) : Exception(construct);

    /// <summary>RE2's RepetitionWalker: the budget is divided by each counted repetition on the way down, and may not reach 0.</summary>
    private static bool WithinRepeatLimit(Node node, int budget)
    {
        if (node.Repeat > 0) budget /= node.Repeat;
        if (budget == 0) return false;
        return node.Children.All(child => WithinRepeatLimit(child, budget));
    }

    private bool AtEnd => _position >= _pattern.Length;

    private char Peek(int ahead = 0) => _position + ahead < _pattern.Length ? _pattern[_position + ahead] : '\0';

    private bool Follows(string text) => string.CompareOrdinal(_pattern, _position, text, 0, text.Length) == 0;

    private Node Sequence(bool inGroup)
    {
        var node = new Node();
        while (!AtEnd)
        {
            var c = Peek();
            if (c == ')')
            {
                if (inGroup) return node;
                _position++;
                continue;
            }
            if (c == '|')
            {
                _position++;
                continue;
            }
            var atom = Atom();
            Quantifier(atom);
            node.Children.Add(atom);
        }
        return node;
    }

    private Node Atom()
    {
        var c = Peek();
        switch (c)
        {
            case '(':
                _position++;
                GroupPrefix();
                var group = Sequence(inGroup: true);
                if (Peek() == ')') _position++;
                return group;
            case '[':
                CharacterClass();
                return new Node();
            case '\\':
                Escape(inClass: false);
                return new Node();
            default:
                _position++;
                return new Node();
        }
    }

    /// <summary>After <c>(</c>: the group kinds RE2 has are <c>(?:</c>, <c>(?P&lt;name&gt;</c>, <c>(?&lt;name&gt;</c> and flags.</summary>
    private void GroupPrefix()
    {
        if (Peek() != '?') return;
        _position++;
        switch (Peek())
        {
            case ':': _position++; return;
            case '=': throw new Refused("RE2 does not support lookahead (?=");
            case '!': throw new Refused("RE2 does not support negative lookahead (?!");
            case '>': throw new Refused("RE2 does not support an atomic group (?>");
            case '(': throw new Refused("RE2 does not support a conditional (?(");
            case '#': throw new Refused("RE2 does not support an inline comment (?#");
            case '|': throw new Refused("RE2 does not support a branch reset (?|");
            case '\'': throw new Refused("RE2 does not support a quoted group name (?'name'); use (?P<name>...)");
            case '<' when Peek(1) == '=': throw new Refused("RE2 does not support lookbehind (?<=");
            case '<' when Peek(1) == '!': throw new Refused("RE2 does not support negative lookbehind (?<!");
            case '<':
                _position++;
                GroupName();
                return;
            case 'P' when Peek(1) == '<':
                _position += 2;
                GroupName();
                return;
            case 'P': throw new Refused("RE2 does not support a named backreference or recursion (?P=name) / (?P>name)");
        }
        // Flags, then ':' or ')'. RE2 knows i, m, s and U; .NET's n and x (and anything else) are refused.
        while (!AtEnd && Peek() is not (':' or ')'))
        {
            var flag = Peek();
            if (flag is not ('i' or 'm' or 's' or 'U' or '-'))
            {
                throw new Refused(char.IsAsciiDigit(flag) || flag is '+' or 'R' or '&'
                    ? "RE2 does not support recursion (?R), (?1), (?&name)"
                    : $"RE2 does not support the flag '{Names.Short(flag.ToString())}' (only i, m, s and U)");
            }
            _position++;
        }
        if (Peek() == ':') _position++;
    }

    /// <summary>RE2's capture names are word characters; .NET's balancing groups (?&lt;a-b&gt;) are not names.</summary>
    private void GroupName()
    {
        var start = _position;
        while (!AtEnd && (char.IsLetterOrDigit(Peek()) || Peek() == '_')) _position++;
        if (_position == start || Peek() != '>') throw new Refused("RE2 group names are letters, digits and '_' ((?P<name>...)); .NET balancing groups are not supported");
        _position++;
    }

    private void CharacterClass()
    {
        _position++;
        if (Peek() == '^') _position++;
        if (Peek() == ']') _position++;
        while (!AtEnd && Peek() != ']')
        {
            if (Peek() == '\\')
            {
                Escape(inClass: true);
                continue;
            }
            if (Re2.Posix(_pattern, _position) is { } posix)
            {
                // RE2 refuses unknown names; a negated one ([:^alpha:]) is RE2's, but .NET cannot spell it inside a class.
                if (posix.Name.StartsWith('^')) throw new Refused($"a negated POSIX class [:{Names.Short(posix.Name)}:] is not supported; spell it as a negated range ([^a-zA-Z])");
                if (!Re2.PosixClasses.ContainsKey(posix.Name)) throw new Refused($"unknown POSIX class [:{Names.Short(posix.Name)}:]");
                _position = posix.End + 1;
                continue;
            }
            if (Follows("-[")) throw new Refused("RE2 does not support character class subtraction [a-[b]]");
            _position++;
        }
        if (!AtEnd) _position++;
    }

    private void Escape(bool inClass)
    {
        var c = Peek(1);
        _position += 2;
        switch (c)
        {
            case >= '1' and <= '9': throw new Refused($"RE2 does not support backreferences (\\{c})");
            case 'k': throw new Refused("RE2 does not support a named backreference \\k");
            case 'g': throw new Refused("RE2 does not support a backreference \\g");
            case 'Z': throw new Refused("RE2 does not support \\Z (use \\z)");
            case 'G': throw new Refused("RE2 does not support \\G");
            case 'e': throw new Refused("RE2 does not support \\e (use \\x1B)");
            case 'c': throw new Refused("RE2 does not support a control escape \\cX (use \\x01 and so on)");
            case 'u': throw new Refused("RE2 does not support \\u (use \\x{...})");
            case 'b' when inClass: throw new Refused("RE2 does not support \\b in a character class (use \\x08)");
            case 'K' or 'R' or 'X' or 'N' or 'h' or 'H' or 'V' or 'l' or 'L' or 'U' or 'E':
                throw new Refused($"RE2 does not support \\{c}");
            case 'Q':
                var end = _pattern.IndexOf("\\E", _position, StringComparison.Ordinal);
                _position = end < 0 ? _pattern.Length : end + 2;
                return;
            case 'x' or 'p' or 'P' when Peek() == '{':
                var close = _pattern.IndexOf('}', _position);
                _position = close < 0 ? _pattern.Length : close + 1;
                return;
        }
    }

    /// <summary>A quantifier after an atom. Counted ones are checked against the limit and recorded on the atom;
    /// a possessive one is refused.</summary>
    private void Quantifier(Node atom)
    {
        var c = Peek();
        if (c is '*' or '+' or '?')
        {
            _position++;
        }
        else if (c == '{' && Counted() is { } count)
        {
            atom.Repeat = count;
        }
        else
        {
            return;
        }
        if (Peek() == '?') _position++;
        else if (Peek() == '+') throw new Refused("RE2 does not support a possessive quantifier");
    }

    /// <summary><c>{n}</c>, <c>{n,}</c> or <c>{n,m}</c> at the current position: the count that bounds it (m, or n when
    /// unbounded), or null when the brace is a literal, as RE2 reads <c>{</c>, <c>{,5}</c> or <c>{x}</c>.</summary>
    private int? Counted()
    {
        var i = _position + 1;
        var minStart = i;
        while (i < _pattern.Length && char.IsAsciiDigit(_pattern[i])) i++;
        if (i == minStart) return null;
        var min = _pattern[minStart..i];
        string? max = null;
        if (i < _pattern.Length && _pattern[i] == ',')
        {
            var maxStart = ++i;
            while (i < _pattern.Length && char.IsAsciiDigit(_pattern[i])) i++;
            max = _pattern[maxStart..i];
        }
        if (i >= _pattern.Length || _pattern[i] != '}') return null;
        var text = _pattern[_position..(i + 1)];
        _position = i + 1;
        var minCount = Count(min, text);
        var maxCount = string.IsNullOrEmpty(max) ? (int?)null : Count(max, text);
        return maxCount ?? minCount;
    }

    private static int Count(string digits, string repetition)
    {
        var significant = digits.TrimStart('0');
        var count = significant.Length is > 0 and <= 4 ? int.Parse(significant, CultureInfo.InvariantCulture) : significant.Length == 0 ? 0 : int.MaxValue;
        if (count > MaxRepeat) throw new Refused($"bad repetition operator {Names.Short(repetition)}: RE2 allows counts up to {MaxRepeat}");
        return count;
    }
}
