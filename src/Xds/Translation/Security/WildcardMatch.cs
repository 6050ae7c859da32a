using System.Text;
using Envoy.Config.Route.V3;
using Envoy.Type.Matcher.V3;

namespace Mesh.Xds.Translation.Security;

/// <summary>Istio's security string forms: <c>*</c> alone is "any non-empty value", a leading <c>*</c> is a suffix match,
/// a trailing <c>*</c> a prefix match, anything else an exact match.</summary>
internal static class WildcardMatch
{
    /// <summary><paramref name="prefix"/> is put before exact and prefix forms (<c>spiffe://</c> for principals).</summary>
    public static StringMatcher String(string value, string prefix = "", bool ignoreCase = false)
    {
        if (value == "*") return Regex(".+");
        if (value.StartsWith('*')) return new StringMatcher { Suffix = value[1..], IgnoreCase = ignoreCase };
        if (value.EndsWith('*')) return new StringMatcher { Prefix = prefix + value[..^1], IgnoreCase = ignoreCase };
        return new StringMatcher { Exact = prefix + value, IgnoreCase = ignoreCase };
    }

    /// <summary>For a header, <c>*</c> means "present".</summary>
    public static HeaderMatcher Header(string name, string value, bool ignoreCase = false)
        => value == "*"
            ? new HeaderMatcher { Name = name, PresentMatch = true }
            : new HeaderMatcher { Name = name, StringMatch = String(value, ignoreCase: ignoreCase) };

    public static StringMatcher Regex(string regex) => new() { SafeRegex = new RegexMatcher { Regex = regex } };

    /// <summary>RE2 text matching <paramref name="literal"/> only, with each <c>*</c> turned into <c>.*</c>.</summary>
    public static string GlobRegex(string literal)
        => string.Join(".*", literal.Split('*').Select(Quote));

    /// <summary>Escapes RE2's metacharacters (Regex.Escape also escapes characters RE2 refuses to see escaped).</summary>
    public static string Quote(string literal)
    {
        var quoted = new StringBuilder(literal.Length);
        foreach (var c in literal)
        {
            if (@"\.+*?()|[]{}^$".Contains(c)) quoted.Append('\\');
            quoted.Append(c);
        }
        return quoted.ToString();
    }
}
