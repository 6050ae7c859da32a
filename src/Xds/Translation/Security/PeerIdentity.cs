using Envoy.Config.Rbac.V3;
using Envoy.Type.Matcher.V3;

namespace Mesh.Xds.Translation.Security;

/// <summary>Istio's peer identities (<c>trust-domain/ns/NS/sa/SA</c>) → matchers on the SPIFFE URI of the client
/// certificate, <c>spiffe://trust-domain/ns/NS/sa/SA</c>, which is what Envoy sees as the principal name.</summary>
internal static class PeerIdentity
{
    public const string SpiffePrefix = "spiffe://";

    /// <summary>Istio's default trust domain: written in a policy, it stands for the mesh's own, whatever its name.</summary>
    public const string DefaultTrustDomain = "cluster.local";

    /// <summary><c>principals</c> and <c>source.principal</c>.</summary>
    public static IReadOnlyList<Principal> Principal(string value, RuleContext context)
    {
        if (value.StartsWith(DefaultTrustDomain + "/", StringComparison.Ordinal))
        {
            value = context.TrustDomain + value[DefaultTrustDomain.Length..];
        }
        return [Authenticated(WildcardMatch.String(value, SpiffePrefix))];
    }

    /// <summary><c>namespaces</c> and <c>source.namespace</c>: the <c>/ns/NS/</c> segment of the identity.</summary>
    public static IReadOnlyList<Principal> Namespace(string value)
        => [Authenticated(WildcardMatch.Regex($".*/ns/{WildcardMatch.GlobRegex(value)}/.*"))];

    /// <summary><c>serviceAccounts</c> and <c>source.serviceAccount</c>: <c>NS/SA</c>, or <c>SA</c> in the policy's
    /// namespace, in any trust domain.</summary>
    public static IReadOnlyList<Principal> ServiceAccount(string value, RuleContext context)
    {
        var slash = value.IndexOf('/');
        var (ns, sa) = slash < 0 ? (context.PolicyNamespace, value) : (value[..slash], value[(slash + 1)..]);
        return [Authenticated(WildcardMatch.Regex($"spiffe://[^/]+/ns/{WildcardMatch.Quote(ns)}/sa/{WildcardMatch.Quote(sa)}"))];
    }

    private static Principal Authenticated(StringMatcher name)
        => new() { Authenticated = new Principal.Types.Authenticated { PrincipalName = name } };
}
