using System.Text.RegularExpressions;
using Envoy.Config.Route.V3;
using Mesh.Sidecar.Security.Matching;

namespace Mesh.Sidecar.Security.Jwt;

/// <summary>The <c>match</c> of a jwt_authn rule: a path condition (prefix, exact path, safe_regex or separated
/// prefix, on the path without its query) and header conditions. Other RouteMatch conditions are refused at compile
/// time rather than ignored.</summary>
internal sealed class RuleMatch
{
    private enum Kind { Prefix, Path, Regex, SeparatedPrefix }

    private readonly Kind _kind;
    private readonly string _value;
    private readonly bool _caseSensitive;
    private readonly Regex? _regex;
    private readonly HeaderMatch[] _headers;

    private RuleMatch(Kind kind, string value, bool caseSensitive, Regex? regex, HeaderMatch[] headers)
    {
        _kind = kind;
        _value = caseSensitive ? value : AsciiCase.ToLower(value);
        _caseSensitive = caseSensitive;
        _regex = regex;
        _headers = headers;
    }

    public static RuleMatch Compile(RouteMatch? match, string field)
    {
        if (match is null) throw new JwtCompileException(field, "is required");
        if (match.QueryParameters.Count > 0) throw new JwtCompileException($"{field}.query_parameters", "is not supported in jwt_authn rules");
        if (match.Grpc is not null) throw new JwtCompileException($"{field}.grpc", "is not supported in jwt_authn rules");
        if (match.RuntimeFraction is not null) throw new JwtCompileException($"{field}.runtime_fraction", "is not supported in jwt_authn rules");
        if (match.TlsContext is not null) throw new JwtCompileException($"{field}.tls_context", "is not supported in jwt_authn rules");
        if (match.DynamicMetadata.Count > 0) throw new JwtCompileException($"{field}.dynamic_metadata", "is not supported in jwt_authn rules");
        var caseSensitive = match.CaseSensitive ?? true;
        try
        {
            var headers = match.Headers.Select((h, i) => HeaderMatch.Compile(h, $"{field}.headers[{i}]")).ToArray();
            return match.PathSpecifierCase switch
            {
                RouteMatch.PathSpecifierOneofCase.Prefix => new(Kind.Prefix, match.Prefix, caseSensitive, null, headers),
                RouteMatch.PathSpecifierOneofCase.Path => new(Kind.Path, match.Path, caseSensitive, null, headers),
                RouteMatch.PathSpecifierOneofCase.SafeRegex => new(Kind.Regex, "", true, SafeRegex.Compile(match.SafeRegex, $"{field}.safe_regex"), headers),
                RouteMatch.PathSpecifierOneofCase.PathSeparatedPrefix => new(Kind.SeparatedPrefix, match.PathSeparatedPrefix, caseSensitive, null, headers),
                _ => throw new JwtCompileException(field, $"path specifier {match.PathSpecifierCase} is not supported (prefix, path, safe_regex or path_separated_prefix)"),
            };
        }
        catch (MatcherConfigException exception)
        {
            throw new JwtCompileException(exception.Field, exception.Problem);
        }
    }

    public bool Matches(RequestFacts request)
    {
        var path = request.PathWithoutQuery();
        if (!_caseSensitive) path = AsciiCase.ToLower(path);
        var pathMatches = _kind switch
        {
            Kind.Prefix => path.StartsWith(_value, StringComparison.Ordinal),
            Kind.Path => path == _value,
            Kind.Regex => _regex!.IsMatch(path),
            _ => path.StartsWith(_value, StringComparison.Ordinal) && (path.Length == _value.Length || path[_value.Length] == '/'),
        };
        return pathMatches && _headers.All(header => header.Matches(request.Header(header.Name)));
    }
}
