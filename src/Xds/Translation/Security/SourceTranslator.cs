using Envoy.Config.Rbac.V3;
using Mesh.Config.Views.Security;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Translation.Security;

/// <summary>Istio <c>Source</c> (who sends the request) → the Envoy principals its fields require, all of which must
/// match. A field left out is no constraint.</summary>
internal static class SourceTranslator
{
    public static IEnumerable<Principal> Translate(RuleSource source, RuleContext context)
    {
        var ids = Rbac.Principals;
        return
        [
            .. ids.Field(source.Principals, source.NotPrincipals, v => PeerIdentity.Principal(v, context)),
            .. ids.Field(source.ServiceAccounts, source.NotServiceAccounts, v => PeerIdentity.ServiceAccount(v, context)),
            .. ids.Field(source.Namespaces, source.NotNamespaces, PeerIdentity.Namespace),
            .. ids.Field(source.RequestPrincipals, source.NotRequestPrincipals, v => AuthnMetadata.String(AuthnMetadataKeys.RequestPrincipal, v)),
            .. ids.Field(source.IpBlocks, source.NotIpBlocks, v => DirectRemoteIp(v, context)),
            .. ids.Field(source.RemoteIpBlocks, source.NotRemoteIpBlocks, v => RemoteIp(v, context)),
        ];
    }

    /// <summary>The address of the connection's peer (Istio's <c>ipBlocks</c> and <c>source.ip</c>).</summary>
    public static IReadOnlyList<Principal> DirectRemoteIp(string block, RuleContext context)
        => CidrRanges.Parse(block) is { } range ? [new Principal { DirectRemoteIp = range }] : context.Unmapped<Principal>(NotCidr(block));

    /// <summary>The original client, from X-Forwarded-For or PROXY protocol (<c>remoteIpBlocks</c>, <c>remote.ip</c>).</summary>
    public static IReadOnlyList<Principal> RemoteIp(string block, RuleContext context)
        => CidrRanges.Parse(block) is { } range ? [new Principal { RemoteIp = range }] : context.Unmapped<Principal>(NotCidr(block));

    public static string NotCidr(string block) => $"\"{block}\" is not an IP address or CIDR block";
}
