using Mesh.Xds.Resources;
using Envoy.Extensions.Filters.Http.JwtAuthn.V3;
using Envoy.Extensions.Filters.Network.HttpConnectionManager.V3;
using HttpRbac = Envoy.Extensions.Filters.Http.Rbac.V3.RBAC;

namespace Mesh.Sidecar.Security;

/// <summary>The inbound listener's HTTP filters before the router, compiled: JWT authentication (RequestAuthentication)
/// then the RBAC filters (AuthorizationPolicy AUDIT, DENY, ALLOW), evaluated in that order for every request. A filter
/// the sidecar cannot enforce exactly as Envoy would makes the listener unusable (NACK), never silently open.</summary>
public sealed class InboundHttpFilters(JwtAuthenticator? jwt, RbacEngine rbac)
{
    /// <summary>Remote JWKS are fetched through one client for the whole sidecar.</summary>
    private static readonly HttpClient JwksClient = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static InboundHttpFilters None { get; } = new(null, RbacEngine.Empty);

    public JwtAuthenticator? Jwt => jwt;

    public RbacEngine Rbac => rbac;

    /// <summary>The configs these filters were compiled from, so that a push that keeps them keeps the filters.</summary>
    private (JwtAuthentication? Jwt, IReadOnlyList<HttpRbac> Rbac) Configs { get; init; } = (null, []);

    /// <param name="previous">The filters compiled before: an equal jwt_authn config keeps its authenticator (and
    /// the JWKS it fetched), equal rbac configs their engine.</param>
    /// <returns>Null (with the errors added) when a filter cannot be enforced.</returns>
    public static InboundHttpFilters? Compile(IEnumerable<HttpFilter> filters, string where, List<string> errors, InboundHttpFilters? previous = null)
    {
        JwtAuthentication? jwtConfig = null;
        JwtAuthenticator? jwt = null;
        var rbac = new List<HttpRbac>();
        var index = 0;
        foreach (var filter in filters)
        {
            var path = $"{where}: http_filters[{index++}] {filter.Name}";
            try
            {
                switch (filter.Name)
                {
                    case EnvoyFilters.JwtAuthn when filter.TypedConfig?.TryUnpack<JwtAuthentication>(out var config) == true:
                        jwtConfig = config;
                        jwt = previous is { Configs.Jwt: { } known } && known.Equals(config) ? previous.Jwt
                            : JwtAuthenticator.Compile(config, new JwtAuthenticatorOptions { FetchJwks = JwtAuthenticatorOptions.HttpFetch(JwksClient) });
                        break;
                    case EnvoyFilters.Rbac when filter.TypedConfig?.TryUnpack<HttpRbac>(out var config) == true:
                        rbac.Add(config);
                        break;
                    case EnvoyFilters.Router:
                        break;
                    default:
                        if (filter.IsOptional) break;
                        errors.Add($"{path}: not supported on the inbound listener (jwt_authn, rbac and the router are)");
                        return null;
                }
            }
            catch (JwtCompileException exception)
            {
                errors.Add($"{path}: {exception.FieldPath}: {exception.Problem}");
                return null;
            }
        }
        try
        {
            var engine = previous is not null && previous.Configs.Rbac.SequenceEqual(rbac) ? previous.Rbac : RbacEngine.Compile(rbac);
            return new InboundHttpFilters(jwt, engine) { Configs = (jwtConfig, rbac) };
        }
        catch (RbacCompileException exception)
        {
            errors.Add($"{where}: rbac policy {exception.PolicyName}: {exception.FieldPath}: {exception.Problem}");
            return null;
        }
    }
}
