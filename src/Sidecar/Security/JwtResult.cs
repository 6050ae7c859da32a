using Google.Protobuf.WellKnownTypes;

namespace Mesh.Sidecar.Security;

/// <summary>The outcome of jwt_authn for one request. When not allowed, answer with <see cref="StatusCode"/>,
/// <see cref="ResponseBody"/> and <see cref="WwwAuthenticate"/>. When allowed, <see cref="Metadata"/> (filter name →
/// Struct: <c>envoy.filters.http.jwt_authn</c>, <c>istio_authn</c>) feeds <see cref="RequestFacts.Metadata"/>.</summary>
public sealed record JwtResult
{
    private static readonly IReadOnlyDictionary<string, Struct> NoMetadata = new Dictionary<string, Struct>();

    /// <summary>No rule applied, or no token and none required.</summary>
    public static JwtResult Pass { get; } = new() { Allowed = true };

    public bool Allowed { get; init; }

    /// <summary>401, or 403 when the audiences were wrong; 200 when allowed.</summary>
    public int StatusCode { get; init; } = 200;

    /// <summary>Envoy's reason, e.g. "Jwt is expired"; null when allowed.</summary>
    public string? Message { get; init; }

    /// <summary>The body to send: the reason, or null when <c>strip_failure_response</c> asks for none.</summary>
    public string? ResponseBody { get; init; }

    /// <summary>The WWW-Authenticate header to send, e.g. <c>Bearer realm="http://host/path", error="invalid_token"</c>.</summary>
    public string? WwwAuthenticate { get; init; }

    /// <summary>Envoy's response code details, e.g. <c>jwt_authn_access_denied{Jwt_is_expired}</c>.</summary>
    public string? ResponseCodeDetails { get; init; }

    /// <summary>The request principal (<c>iss/sub</c>) of the first verified token, or null.</summary>
    public string? Principal { get; init; }

    /// <summary>The payload of the first verified token, or null: what claims-keyed rate limits may trust.</summary>
    public Struct? VerifiedPayload { get; init; }

    public IReadOnlyDictionary<string, Struct> Metadata { get; init; } = NoMetadata;

    /// <summary>A provider with <c>clear_route_cache</c> changed the request: routing must be decided again.</summary>
    public bool ClearRouteCache { get; init; }
}
