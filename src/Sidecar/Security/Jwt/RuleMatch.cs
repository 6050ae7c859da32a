using Envoy.Config.Route.V3;
using Mesh.Sidecar.Matching;

namespace Mesh.Sidecar.Security.Jwt;

/// <summary>The <c>match</c> of a jwt_authn rule: a path condition (on the path without its query) and header
/// conditions, on the same matchers as routes. Other RouteMatch conditions are refused at compile time rather than
/// ignored.</summary>
internal sealed class RuleMatch
{
    private readonly PathMatch _path;
    private readonly HeaderMatch[] _headers;

    private RuleMatch(PathMatch path, HeaderMatch[] headers)
    {
        _path = path;
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
        try
        {
            var headers = match.Headers.Select((h, i) => HeaderMatch.Compile(h, $"{field}.headers[{i}]")).ToArray();
            return new RuleMatch(PathMatch.Compile(match, field), headers);
        }
        catch (MatcherConfigException exception)
        {
            throw new JwtCompileException(exception.Field, exception.Problem);
        }
    }

    public bool Matches(RequestFacts request)
        => _path.Matches(request.PathWithoutQuery()) && _headers.All(header => header.Matches(request.Header(header.Name)));
}
