using Mesh.Sidecar.Matching;

namespace Mesh.Sidecar.Config;

/// <summary>A route's compiled CORS policy (Envoy's <c>envoy.extensions.filters.http.cors.v3.CorsPolicy</c>): the
/// header values are kept as the config gives them, since Envoy copies them to the response as they are.</summary>
public sealed record CorsPolicyModel(
    IReadOnlyList<StringMatch> AllowOrigins,
    string? AllowMethods,
    string? AllowHeaders,
    string? ExposeHeaders,
    string? MaxAge,
    bool AllowCredentials)
{
    /// <summary>The fraction of requests the policy is enforced for (<c>filter_enabled</c>'s default value).</summary>
    public Fraction Enabled { get; init; } = Fraction.Always;

    /// <summary>Envoy's default: a preflight whose origin does not match goes upstream; when false it is answered
    /// here, with no CORS headers.</summary>
    public bool ForwardNotMatchingPreflights { get; init; } = true;

    /// <summary>Answer <c>access-control-request-private-network: true</c> with <c>-allow-private-network: true</c>.</summary>
    public bool AllowPrivateNetworkAccess { get; init; }

    /// <summary>Envoy's <c>isOriginAllowed</c>: a matcher that matches <c>*</c> allows every origin.</summary>
    public bool Allows(string origin)
    {
        foreach (var matcher in AllowOrigins)
        {
            if (matcher.Matches("*") || matcher.Matches(origin)) return true;
        }
        return false;
    }
}
