using System.Globalization;
using System.Text;

namespace Mesh.Config.Text;

/// <summary>Text a caller controls (names, namespaces, reasons, user names), made safe to print on one line of a
/// terminal, a log or an error message: every control or invisible formatting character is shown escaped, so that no
/// value can start a new row, move the cursor, colour the screen or reorder what follows. The one definition used by
/// the validator's messages, meshctl's output and the silo's log lines.</summary>
public static class UntrustedText
{
    /// <summary><c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\x1b</c> (other C0 controls and DEL), <c>\u0085</c> (C1 controls),
    /// <c>\u2028</c>/<c>\u2029</c> (line breaks) and <c>\u202e</c> (bidirectional overrides and other format
    /// characters); anything else as is. Escaping twice gives the same text as escaping once (backslashes are left alone).</summary>
    public static string Escape(string text) => Escape(text.AsSpan());

    /// <summary>At most <paramref name="max"/> characters of the text (then <c>...</c>), escaped.</summary>
    public static string Short(string text, int max)
    {
        var cut = text.Length <= max ? text.Length : char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        var shown = Escape(text.AsSpan(0, cut));
        return cut < text.Length ? shown + "..." : shown;
    }

    /// <summary>Control characters, and the Unicode format and separator characters that are invisible or move text.</summary>
    public static bool IsHidden(char c)
        => char.IsControl(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static string Escape(ReadOnlySpan<char> text)
    {
        var first = IndexOfHidden(text);
        if (first < 0) return text.ToString();
        var escaped = new StringBuilder(text.Length + 8).Append(text[..first]);
        foreach (var c in text[first..])
        {
            if (!IsHidden(c)) escaped.Append(c);
            else escaped.Append(c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                < '\u0080' => string.Create(CultureInfo.InvariantCulture, $@"\x{(int)c:x2}"),
                _ => string.Create(CultureInfo.InvariantCulture, $@"\u{(int)c:x4}"),
            });
        }
        return escaped.ToString();
    }

    private static int IndexOfHidden(ReadOnlySpan<char> text)
    {
        // Printable ASCII is by far the common case: only look closer at what is not.
        var candidate = text.IndexOfAnyExceptInRange(' ', '~');
        if (candidate < 0) return -1;
        for (var i = candidate; i < text.Length; i++)
        {
            if (IsHidden(text[i])) return i;
        }
        return -1;
    }
}
