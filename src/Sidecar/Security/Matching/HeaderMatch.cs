// The deprecated HeaderMatcher forms (exact_match, prefix_match...) are still what some control planes send.
#pragma warning disable CS0612, CS0618
using System.Globalization;
using Envoy.Config.Route.V3;

namespace Mesh.Sidecar.Security.Matching;

/// <summary>A compiled Envoy <c>HeaderMatcher</c>, with Envoy's rules for absent headers: an absent header matches
/// only <c>present_match: false</c> (or, inverted, <c>present_match: true</c>) unless
/// <c>treat_missing_header_as_empty</c> makes it an empty value.</summary>
internal sealed class HeaderMatch
{
    private enum Kind { LegacyExact, Present, Range, Text }

    private readonly Kind _kind;
    private readonly string _legacyExact;
    private readonly bool _present;
    private readonly (long Start, long End) _range;
    private readonly StringMatch? _text;
    private readonly bool _invert;
    private readonly bool _missingAsEmpty;

    private HeaderMatch(HeaderMatcher matcher, Kind kind, string legacyExact = "", bool present = false, (long, long) range = default, StringMatch? text = null)
    {
        Name = matcher.Name.ToLowerInvariant();
        _kind = kind;
        _legacyExact = legacyExact;
        _present = present;
        _range = range;
        _text = text;
        _invert = matcher.InvertMatch;
        _missingAsEmpty = matcher.TreatMissingHeaderAsEmpty;
    }

    /// <summary>The lower-case header name, possibly a pseudo-header (<c>:authority</c>, <c>:method</c>, <c>:path</c>).</summary>
    public string Name { get; }

    public static HeaderMatch Compile(HeaderMatcher? matcher, string field)
    {
        if (matcher is null) throw new MatcherConfigException(field, "is required");
        if (matcher.Name.Length == 0) throw new MatcherConfigException($"{field}.name", "must not be empty");
        return matcher.HeaderMatchSpecifierCase switch
        {
            HeaderMatcher.HeaderMatchSpecifierOneofCase.ExactMatch => new(matcher, Kind.LegacyExact, legacyExact: matcher.ExactMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.SafeRegexMatch => Text(matcher, StringMatch.Regex(SafeRegex.Compile(matcher.SafeRegexMatch, $"{field}.safe_regex_match"))),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.RangeMatch => new(matcher, Kind.Range, range: (matcher.RangeMatch.Start, matcher.RangeMatch.End)),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.PresentMatch => new(matcher, Kind.Present, present: matcher.PresentMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.PrefixMatch => Text(matcher, StringMatch.Prefix(NotEmpty(matcher.PrefixMatch, $"{field}.prefix_match"))),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.SuffixMatch => Text(matcher, StringMatch.Suffix(NotEmpty(matcher.SuffixMatch, $"{field}.suffix_match"))),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.ContainsMatch => Text(matcher, StringMatch.Contains(NotEmpty(matcher.ContainsMatch, $"{field}.contains_match"))),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.StringMatch => Text(matcher, StringMatch.Compile(matcher.StringMatch, $"{field}.string_match")),
            // No specifier: the header must be present, whatever its value.
            _ => new(matcher, Kind.Present, present: true),
        };
    }

    /// <summary>Whether the header matches, given its value as Envoy sees it: every value joined with commas, or null
    /// when the request does not carry it.</summary>
    public bool Matches(string? value)
    {
        if (value is null && !_missingAsEmpty)
        {
            return _kind == Kind.Present && _present == _invert;
        }
        value ??= "";
        var match = _kind switch
        {
            Kind.LegacyExact => _legacyExact.Length == 0 || value == _legacyExact,
            Kind.Present => _present,
            Kind.Range => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                && number >= _range.Start && number < _range.End,
            _ => _text!.Matches(value),
        };
        return match != _invert;
    }

    private static HeaderMatch Text(HeaderMatcher matcher, StringMatch text) => new(matcher, Kind.Text, text: text);

    private static string NotEmpty(string value, string field)
        => value.Length > 0 ? value : throw new MatcherConfigException(field, "must not be empty");
}
