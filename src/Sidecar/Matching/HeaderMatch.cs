// The deprecated HeaderMatcher forms (exact_match, prefix_match...) are still what some control planes send.
#pragma warning disable CS0612, CS0618
using System.Globalization;
using Envoy.Config.Route.V3;
using Microsoft.AspNetCore.Http;

namespace Mesh.Sidecar.Matching;

/// <summary>A compiled Envoy <c>HeaderMatcher</c>, for routes, jwt_authn rules and RBAC alike, with Envoy's rules:
/// an absent header matches no value condition, inverted or not, unless <c>treat_missing_header_as_empty</c> makes it
/// an empty value; <c>present_match</c> compares presence (and ignores that flag); a legacy <c>exact_match</c> of ""
/// matches any value; a range needs the whole value to be a base-10 integer.</summary>
public sealed class HeaderMatch
{
    private enum Kind { LegacyExact, Present, Range, Text }

    private readonly Kind _kind;
    private readonly string _legacyExact;
    private readonly bool _present;
    private readonly (long Start, long End) _range;
    private readonly bool _invert;
    private readonly bool _missingAsEmpty;

    private HeaderMatch(HeaderMatcher matcher, Kind kind, string legacyExact = "", bool present = false, (long, long) range = default, StringMatch? text = null)
    {
        Name = matcher.Name.ToLowerInvariant();
        _kind = kind;
        _legacyExact = legacyExact;
        _present = present;
        _range = range;
        Value = text;
        _invert = matcher.InvertMatch;
        _missingAsEmpty = matcher.TreatMissingHeaderAsEmpty;
    }

    /// <summary>The lower-case header name, possibly a pseudo-header (<c>:authority</c>, <c>:method</c>, <c>:path</c>).</summary>
    public string Name { get; }

    /// <summary>The string condition (string_match and the legacy prefix, suffix, contains and regex forms), else null.</summary>
    public StringMatch? Value { get; }

    internal static HeaderMatch Compile(HeaderMatcher? matcher, string field)
    {
        if (matcher is null) throw new MatcherConfigException(field, "is required");
        if (matcher.Name.Length == 0) throw new MatcherConfigException($"{field}.name", "must not be empty");
        return matcher.HeaderMatchSpecifierCase switch
        {
            HeaderMatcher.HeaderMatchSpecifierOneofCase.ExactMatch => new(matcher, Kind.LegacyExact, legacyExact: matcher.ExactMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.SafeRegexMatch => Text(matcher, StringMatch.OfRegex(SafeRegex.Compile(matcher.SafeRegexMatch, $"{field}.safe_regex_match"))),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.RangeMatch => new(matcher, Kind.Range, range: (matcher.RangeMatch.Start, matcher.RangeMatch.End)),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.PresentMatch => new(matcher, Kind.Present, present: matcher.PresentMatch),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.PrefixMatch => Text(matcher, StringMatch.Prefix(StringMatch.NotEmpty(matcher.PrefixMatch, $"{field}.prefix_match"))),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.SuffixMatch => Text(matcher, StringMatch.Suffix(StringMatch.NotEmpty(matcher.SuffixMatch, $"{field}.suffix_match"))),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.ContainsMatch => Text(matcher, StringMatch.Contains(StringMatch.NotEmpty(matcher.ContainsMatch, $"{field}.contains_match"))),
            HeaderMatcher.HeaderMatchSpecifierOneofCase.StringMatch => Text(matcher, StringMatch.Compile(matcher.StringMatch, $"{field}.string_match")),
            // No specifier: the header must be present, whatever its value.
            _ => new(matcher, Kind.Present, present: true),
        };
    }

    /// <summary>Whether the header matches, given its value as Envoy sees it (<see cref="ValueOf"/>): every value
    /// joined with commas, or null when the request does not carry it.</summary>
    public bool Matches(string? value)
    {
        if (_kind == Kind.Present) return ((value is not null) == _present) != _invert;
        if (value is null && !_missingAsEmpty) return false;
        value ??= "";
        var match = _kind switch
        {
            Kind.LegacyExact => _legacyExact.Length == 0 || value == _legacyExact,
            Kind.Range => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                && number >= _range.Start && number < _range.End,
            _ => Value!.Matches(value),
        };
        return match != _invert;
    }

    /// <summary>A request header as Envoy's matchers see it: every value joined with commas, or null when absent.
    /// <c>:method</c>, <c>:authority</c>, <c>:path</c> and <c>:scheme</c> come from the request line, as Envoy keeps
    /// them; there is no <c>host</c> header (Envoy keeps the Host header as <c>:authority</c> only).</summary>
    public static string? ValueOf(HttpRequest request, string name)
    {
        if (name.Length > 0 && name[0] == ':')
        {
            return name switch
            {
                ":method" => request.Method,
                ":authority" => request.Headers.Host.ToString(),
                ":path" => PathOf(request),
                ":scheme" => request.Scheme,
                _ => null,
            };
        }
        if (string.Equals(name, "host", StringComparison.OrdinalIgnoreCase)) return null;
        var values = request.Headers[name];
        return values.Count switch
        {
            0 => null,
            1 => values[0] ?? "",
            _ => string.Join(',', values.ToArray()),
        };
    }

    /// <summary>Envoy's <c>:path</c>: the path with its query string, percent-encoded as it travels (after the
    /// listener's normalization, <see cref="Proxy.Paths.RequestTarget"/>), never empty.</summary>
    public static string PathOf(HttpRequest request)
    {
        var path = request.PathBase.HasValue ? request.PathBase.Value + request.Path.Value : request.Path.Value;
        return (string.IsNullOrEmpty(path) ? "/" : path) + request.QueryString.Value;
    }

    private static HeaderMatch Text(HeaderMatcher matcher, StringMatch text) => new(matcher, Kind.Text, text: text);
}
