using System.Text.RegularExpressions;
using Envoy.Type.Matcher.V3;

namespace Mesh.Sidecar.Matching;

/// <summary>A compiled Envoy <c>StringMatcher</c>: exact, prefix, suffix, contains (optionally ignoring ASCII case)
/// or safe_regex (on which <c>ignore_case</c> has no effect, as in Envoy).</summary>
public sealed class StringMatch
{
    private enum Kind { Exact, Prefix, Suffix, Contains, Regex }

    private readonly Kind _kind;
    private readonly string _pattern;
    private readonly bool _ignoreCase;
    private readonly Regex? _regex;

    private StringMatch(Kind kind, string pattern, bool ignoreCase, Regex? regex)
    {
        _kind = kind;
        _pattern = ignoreCase ? AsciiCase.ToLower(pattern) : pattern;
        _ignoreCase = ignoreCase;
        _regex = regex;
    }

    internal static StringMatch Compile(StringMatcher? matcher, string field)
    {
        if (matcher is null) throw new MatcherConfigException(field, "is required");
        return matcher.MatchPatternCase switch
        {
            StringMatcher.MatchPatternOneofCase.Exact => new(Kind.Exact, matcher.Exact, matcher.IgnoreCase, null),
            StringMatcher.MatchPatternOneofCase.Prefix => new(Kind.Prefix, NotEmpty(matcher.Prefix, $"{field}.prefix"), matcher.IgnoreCase, null),
            StringMatcher.MatchPatternOneofCase.Suffix => new(Kind.Suffix, NotEmpty(matcher.Suffix, $"{field}.suffix"), matcher.IgnoreCase, null),
            StringMatcher.MatchPatternOneofCase.Contains => new(Kind.Contains, NotEmpty(matcher.Contains, $"{field}.contains"), matcher.IgnoreCase, null),
            StringMatcher.MatchPatternOneofCase.SafeRegex => new(Kind.Regex, matcher.SafeRegex.Regex, false, SafeRegex.Compile(matcher.SafeRegex, $"{field}.safe_regex")),
            StringMatcher.MatchPatternOneofCase.Custom => throw new MatcherConfigException($"{field}.custom", "custom string matcher extensions are not supported"),
            _ => throw new MatcherConfigException(field, "match_pattern is required (exact, prefix, suffix, contains or safe_regex)"),
        };
    }

    /// <summary>A matcher for one literal kind, used for the deprecated HeaderMatcher forms (always case-sensitive).</summary>
    internal static StringMatch Prefix(string value) => new(Kind.Prefix, value, false, null);

    internal static StringMatch Suffix(string value) => new(Kind.Suffix, value, false, null);

    internal static StringMatch Contains(string value) => new(Kind.Contains, value, false, null);

    internal static StringMatch OfRegex(Regex regex) => new(Kind.Regex, regex.ToString(), false, regex);

    /// <summary>The regex of a safe_regex matcher, else null.</summary>
    public Regex? Regex => _regex;

    public bool Matches(string value)
    {
        if (_kind == Kind.Regex) return _regex!.IsMatch(value);
        if (_ignoreCase)
        {
            return _kind switch
            {
                Kind.Exact => AsciiCase.Equals(value, _pattern),
                Kind.Prefix => AsciiCase.StartsWith(value, _pattern),
                Kind.Suffix => AsciiCase.EndsWith(value, _pattern),
                _ => AsciiCase.Contains(value, _pattern),
            };
        }
        return _kind switch
        {
            Kind.Exact => string.Equals(value, _pattern, StringComparison.Ordinal),
            Kind.Prefix => value.StartsWith(_pattern, StringComparison.Ordinal),
            Kind.Suffix => value.EndsWith(_pattern, StringComparison.Ordinal),
            _ => value.Contains(_pattern, StringComparison.Ordinal),
        };
    }

    /// <summary>Envoy refuses an empty prefix, suffix or contains ("use present_match instead").</summary>
    internal static string NotEmpty(string value, string field)
        => value.Length > 0 ? value : throw new MatcherConfigException(field, "must not be empty");
}
