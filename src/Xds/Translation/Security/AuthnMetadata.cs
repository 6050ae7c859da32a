using Envoy.Config.Rbac.V3;
using Envoy.Type.Matcher.V3;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation.Security;

/// <summary>Matchers on the request's authenticated end user, which the sidecar writes into dynamic metadata of the
/// <c>istio_authn</c> filter after validating a JWT, as Istio's authn filter does: <c>request.auth.principal</c>
/// (<c>iss/sub</c>) and <c>request.auth.presenter</c> (azp) are strings, <c>request.auth.audiences</c> a string or a list
/// of strings, and <c>request.auth.claims</c> a struct of claim name → list of strings (a string claim is a one-element
/// list; a nested claim is a nested struct).</summary>
internal static class AuthnMetadata
{
    /// <summary><c>requestPrincipals</c>, <c>request.auth.principal</c> and <c>request.auth.presenter</c>.</summary>
    public static IReadOnlyList<Principal> String(string key, string value)
        => [Metadata([key], new ValueMatcher { StringMatch = WildcardMatch.String(value) })];

    /// <summary>An audience matches whether the sidecar wrote the <c>aud</c> claim as a string or as a list.</summary>
    public static IReadOnlyList<Principal> Audience(string value)
        => [.. String(AuthnMetadataKeys.Audiences, value), Metadata([AuthnMetadataKeys.Audiences], ListContains(value))];

    /// <summary><c>request.auth.claims[a][b]</c>: the claim at that path is a list containing the value.</summary>
    public static IReadOnlyList<Principal> Claim(IReadOnlyList<string> path, string value)
        => [Metadata([AuthnMetadataKeys.Claims, .. path], ListContains(value))];

    private static ValueMatcher ListContains(string value)
        => new() { ListMatch = new ListMatcher { OneOf = new ValueMatcher { StringMatch = WildcardMatch.String(value) } } };

    private static Principal Metadata(IEnumerable<string> path, ValueMatcher value)
    {
        var matcher = new MetadataMatcher { Filter = AuthnMetadataKeys.Filter, Value = value };
        matcher.Path.AddRange(path.Select(key => new MetadataMatcher.Types.PathSegment { Key = key }));
        return new Principal { Metadata = matcher };
    }
}
