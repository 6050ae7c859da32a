using System.Text.RegularExpressions;
using Envoy.Config.Route.V3;

namespace Mesh.Sidecar.Matching;

public enum PathKind { Prefix, Exact, Regex, SeparatedPrefix }

/// <summary>The path condition of an Envoy <c>RouteMatch</c> (prefix, path, safe_regex or path_separated_prefix), for
/// routes and jwt_authn rules alike. <c>case_sensitive: false</c> folds ASCII only; a regex ignores it, as in Envoy.</summary>
public sealed class PathMatch
{
    private readonly bool _caseSensitive;
    private readonly string _folded;
    private readonly Regex? _regex;

    private PathMatch(PathKind kind, string value, bool caseSensitive, Regex? regex)
    {
        Kind = kind;
        Value = value;
        _caseSensitive = caseSensitive;
        _folded = caseSensitive ? value : AsciiCase.ToLower(value);
        _regex = regex;
    }

    public PathKind Kind { get; }

    /// <summary>The prefix or path as configured (the regex's pattern for a regex).</summary>
    public string Value { get; }

    public Regex? Regex => _regex;

    internal static PathMatch Compile(RouteMatch match, string field)
    {
        var caseSensitive = match.CaseSensitive ?? true;
        return match.PathSpecifierCase switch
        {
            RouteMatch.PathSpecifierOneofCase.Prefix => new(PathKind.Prefix, match.Prefix, caseSensitive, null),
            RouteMatch.PathSpecifierOneofCase.Path => new(PathKind.Exact, match.Path, caseSensitive, null),
            RouteMatch.PathSpecifierOneofCase.PathSeparatedPrefix => new(PathKind.SeparatedPrefix, match.PathSeparatedPrefix, caseSensitive, null),
            RouteMatch.PathSpecifierOneofCase.SafeRegex => new(PathKind.Regex, match.SafeRegex.Regex, true, SafeRegex.Compile(match.SafeRegex, $"{field}.safe_regex")),
            _ => throw new MatcherConfigException(field, $"path specifier {match.PathSpecifierCase} is not supported (prefix, path, safe_regex or path_separated_prefix)"),
        };
    }

    /// <summary>Whether <paramref name="path"/> (without its query string) matches.</summary>
    public bool Matches(string path)
    {
        if (Kind == PathKind.Regex) return _regex!.IsMatch(path);
        var prefix = _caseSensitive ? path.StartsWith(_folded, StringComparison.Ordinal) : AsciiCase.StartsWith(path, _folded);
        return Kind switch
        {
            PathKind.Prefix => prefix,
            PathKind.Exact => prefix && path.Length == _folded.Length,
            _ => prefix && (path.Length == _folded.Length || path[_folded.Length] == '/'),
        };
    }
}
