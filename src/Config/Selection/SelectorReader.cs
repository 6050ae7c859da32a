namespace Mesh.Config.Selection;

/// <summary>Splits a selector into the tokens Kubernetes' selector grammar knows (as <c>k8s.io/apimachinery</c>'s
/// lexer does): identifiers, <c>in</c>/<c>notin</c>, <c>= == != ! &gt; &lt; ( ) ,</c>. Whitespace only separates.</summary>
internal sealed class SelectorReader(string text)
{
    private int _at;

    public string Text => text;

    /// <summary>The next token without consuming it.</summary>
    public SelectorToken Peek()
    {
        var saved = _at;
        var token = Next();
        _at = saved;
        return token;
    }

    public SelectorToken Next()
    {
        while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        var start = _at;
        if (_at >= text.Length) return new(SelectorTokenKind.End, "", start);
        var c = text[_at];
        switch (c)
        {
            case ',': _at++; return new(SelectorTokenKind.Comma, ",", start);
            case '(': _at++; return new(SelectorTokenKind.Open, "(", start);
            case ')': _at++; return new(SelectorTokenKind.Close, ")", start);
            case '>': _at++; return new(SelectorTokenKind.GreaterThan, ">", start);
            case '<': _at++; return new(SelectorTokenKind.LessThan, "<", start);
            case '=':
                _at += At(1) == '=' ? 2 : 1;
                return new(SelectorTokenKind.Equals, text[start.._at], start);
            case '!':
                if (At(1) == '=') { _at += 2; return new(SelectorTokenKind.NotEquals, "!=", start); }
                _at++;
                return new(SelectorTokenKind.Not, "!", start);
        }
        while (_at < text.Length && !IsSpecial(text[_at]) && !char.IsWhiteSpace(text[_at])) _at++;
        var word = text[start.._at];
        var kind = word switch { "in" => SelectorTokenKind.In, "notin" => SelectorTokenKind.NotIn, _ => SelectorTokenKind.Identifier };
        return new(kind, word, start);
    }

    public SelectorException Error(SelectorToken at, string reason) => new(text, at.Start + 1, reason);

    private char At(int offset) => _at + offset < text.Length ? text[_at + offset] : '\0';

    private static bool IsSpecial(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';
}

internal enum SelectorTokenKind { End, Identifier, In, NotIn, Equals, NotEquals, Not, GreaterThan, LessThan, Open, Close, Comma }

/// <summary>One token and where it starts (0-based).</summary>
internal readonly record struct SelectorToken(SelectorTokenKind Kind, string Text, int Start)
{
    public string Describe() => Kind == SelectorTokenKind.End ? "the end" : $"'{Validation.Rules.Names.Short(Text, 40)}'";
}
