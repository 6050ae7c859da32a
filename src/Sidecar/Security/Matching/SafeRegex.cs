using System.Text.RegularExpressions;
using Envoy.Type.Matcher.V3;

namespace Mesh.Sidecar.Security.Matching;

/// <summary>Envoy's <c>safe_regex</c> on .NET: linear-time (NonBacktracking, the guarantee RE2 gives Envoy) and a
/// match of the whole string, as Envoy's regex matchers are.</summary>
internal static class SafeRegex
{
    public static Regex Compile(RegexMatcher? matcher, string field)
    {
        if (matcher is null) throw new MatcherConfigException(field, "is required");
        var pattern = matcher.Regex;
        if (pattern.Length == 0) throw new MatcherConfigException($"{field}.regex", "must not be empty");
        const RegexOptions options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
        try
        {
            // Parsed alone first: a pattern such as "a)|(b" would otherwise escape the anchoring group below and
            // match part of a string. RE2 rejects it too.
            _ = new Regex(pattern, options);
            return new Regex($@"\A(?:{pattern})\z", options);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException)
        {
            throw new MatcherConfigException($"{field}.regex", $"\"{pattern}\" is not a regular expression mesh-sidecar can run linearly: {exception.Message}");
        }
    }
}
