using System.Text.RegularExpressions;
using Envoy.Type.Matcher.V3;
using Mesh.Config.Validation.Rules;

namespace Mesh.Sidecar.Matching;

/// <summary>The one place the data plane builds a regex (routes, header and query matchers, regex rewrites, RBAC and
/// JWT matchers): RE2's syntax and limits, checked exactly as the validator checks them (<see cref="Re2"/>), on .NET's NonBacktracking engine, whose time is
/// linear in the input as RE2's is, so no pattern and no request can make a match slow. A pattern it cannot build is
/// refused with the reason, which becomes the NACK.</summary>
public static class SafeRegex
{
    public const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    /// <summary>A regex that must match the whole string, as Envoy's <c>safe_regex</c> matchers do.</summary>
    /// <returns>Null, with <paramref name="problem"/> set, when the pattern cannot be run.</returns>
    public static Regex? WholeString(string pattern, out string? problem) => Build(pattern, anchored: true, out problem);

    /// <summary>A regex that finds matches within a string (<c>regex_rewrite</c>).</summary>
    public static Regex? Search(string pattern, out string? problem) => Build(pattern, anchored: false, out problem);

    /// <summary>A <c>RegexMatcher</c> of any matcher; throws <see cref="MatcherConfigException"/>.</summary>
    internal static Regex Compile(RegexMatcher? matcher, string field)
    {
        if (matcher is null) throw new MatcherConfigException(field, "is required");
        return WholeString(matcher.Regex, out var problem) ?? throw new MatcherConfigException($"{field}.regex", problem!);
    }

    private static Regex? Build(string pattern, bool anchored, out string? problem)
    {
        problem = Re2.Check(pattern, out var translated);
        if (problem is not null) return null;
        try
        {
            // Re2.Check parsed the pattern alone, so one such as "a)|(b" (which would escape the anchoring group and
            // match part of a string) never gets here; RE2 refuses it too.
            return new Regex(anchored ? $@"\A(?:{translated})\z" : translated, Options);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException)
        {
            problem = $"\"{pattern}\" is not a regular expression mesh-sidecar can run in linear time: {exception.Message}";
            return null;
        }
    }
}
