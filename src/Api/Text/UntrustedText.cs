using System.Buffers;
using System.Text;

namespace Mesh.Api.Text;

/// <summary>Text a caller controls (names, namespaces, reasons, user names), made safe to print on one line of a
/// terminal or a log: every control character is shown escaped, so that no value can start a new row, move the
/// cursor, colour the screen or reorder what follows. Used by meshctl for everything it prints from the server and by
/// the silo for every log line.</summary>
public static class UntrustedText
{
    /// <summary><c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\x1b</c> (other C0 controls and DEL), <c>\u0085</c> (C1 controls),
    /// <c>\u2028</c>/<c>\u2029</c> (line breaks) and <c>\u202e</c> (bidirectional overrides); anything else as is.
    /// Escaping twice gives the same text as escaping once (backslashes are left alone).</summary>
    public static string Escape(string text)
    {
        var first = text.AsSpan().IndexOfAny(Unsafe);
        if (first < 0) return text;
        var escaped = new StringBuilder(text.Length + 8).Append(text, 0, first);
        foreach (var c in text.AsSpan(first))
        {
            if (!Unsafe.Contains(c)) escaped.Append(c);
            else escaped.Append(c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                < '\u0080' => $@"\x{(int)c:x2}",
                _ => $@"\u{(int)c:x4}",
            });
        }
        return escaped.ToString();
    }

    private static readonly SearchValues<char> Unsafe = SearchValues.Create(UnsafeCharacters());

    private static string UnsafeCharacters()
    {
        var unsafeChars = new StringBuilder();
        for (var c = '\0'; c < ' '; c++) unsafeChars.Append(c);
        unsafeChars.Append('\u007f');
        for (var c = '\u0080'; c <= '\u009f'; c++) unsafeChars.Append(c);
        // Line and paragraph separators; bidirectional marks, embeddings, overrides and isolates (Trojan Source).
        unsafeChars.Append("\u2028\u2029\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c");
        return unsafeChars.ToString();
    }
}
