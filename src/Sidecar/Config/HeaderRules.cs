namespace Mesh.Sidecar.Config;

/// <summary>Envoy's validate rules for header names and values in config (<c>HTTP_HEADER_NAME</c> and
/// <c>HTTP_HEADER_VALUE</c>, strict: RFC 7230 tokens; field values without control characters), so that no header
/// edit from a control plane can split a header or inject one (CR, LF, NUL). Pseudo-headers (<c>:path</c>) cannot be
/// edited, as in Envoy; and values must be ASCII, the only kind Kestrel and HttpClient send.</summary>
public static class HeaderRules
{
    /// <summary>Envoy's <c>max_bytes</c> for header names and values.</summary>
    public const int MaxLength = 16384;

    /// <returns>What is wrong with the name, or null.</returns>
    public static string? NameProblem(string name)
    {
        if (name.Length == 0) return "a header name must not be empty";
        if (name.Length > MaxLength) return $"a header name must be at most {MaxLength} characters";
        if (name[0] == ':') return $"\"{Shown(name)}\": pseudo-headers cannot be edited";
        foreach (var c in name)
        {
            if (!IsTokenChar(c)) return $"\"{Shown(name)}\" is not a valid header name ({Describe(c)} is not allowed; RFC 7230 token characters only)";
        }
        return null;
    }

    /// <returns>What is wrong with the value, or null.</returns>
    public static string? ValueProblem(string value)
    {
        if (value.Length > MaxLength) return $"a header value must be at most {MaxLength} characters";
        foreach (var c in value)
        {
            if ((c < ' ' && c != '\t') || c >= '\x7f') return $"\"{Shown(value)}\" is not a valid header value ({Describe(c)} is not allowed)";
        }
        return null;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    private static string Describe(char c) => c switch
    {
        '\r' => "CR",
        '\n' => "LF",
        '\0' => "NUL",
        < ' ' or '\x7f' => $"control character U+{(int)c:X4}",
        > '\x7f' => $"non-ASCII character U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    /// <summary>The text with control characters escaped, so that the NACK itself cannot carry a line break.</summary>
    private static string Shown(string text)
    {
        var shown = text.Length > 64 ? text[..64] + "..." : text;
        return string.Concat(shown.Select(c => c < ' ' || c == '\x7f' ? $"\\x{(int)c:x2}" : c.ToString()));
    }
}
