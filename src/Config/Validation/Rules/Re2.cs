using System.Text.RegularExpressions;

namespace Mesh.Config.Validation.Rules;

/// <summary>Checks that a regex is one Envoy (and every RE2 the data plane may run) accepts: RE2 syntax and limits.</summary>
internal static class Re2
{
    /// <summary>Istio's validateStringRegexp: longer patterns are refused, standing in for Envoy's RE2 program-size limit.</summary>
    public const int MaxLength = 1024;

    public static string? Check(string pattern)
    {
        if (pattern.Length == 0) return "regex must not be empty";
        if (pattern.Length > MaxLength) return $"regex is too large: at most {MaxLength} characters (Istio's limit)";
        if (Re2Syntax.Check(pattern) is { } construct) return $"invalid regex \"{Names.Short(pattern)}\": {construct}";
        try
        {
            // Only parsed here, for syntax errors: what RE2 refuses and .NET accepts, Re2Syntax found already. (Building
            // a NonBacktracking engine would check that too, at ~2 ms a pattern; parsing costs ~10 µs, so a manifest
            // of many regexes costs what its size says.) .NET spells RE2's (?P<name>...) as (?<name>...).
            _ = new Regex(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), RegexOptions.None, TimeSpan.FromSeconds(1));
            return null;
        }
        catch (ArgumentException e)
        {
            return $"invalid regex \"{Names.Short(pattern)}\": {Names.Short(e.Message, 200)}";
        }
    }
}
