using System.Text.Json.Nodes;
using Envoy.Config.Rbac.V3;

namespace Mesh.Xds.Translation.Security;

/// <summary>Istio <c>Source</c> (who sends the request) → the Envoy principals its fields require, all of which must
/// match. A field left out is no constraint.</summary>
internal static class SourceTranslator
{
    public static IEnumerable<Principal> Translate(JsonObject source, RuleContext context)
    {
        var ids = Rbac.Principals;
        return
        [
            .. ids.Field(source.Strings("principals"), source.Strings("notPrincipals"), v => PeerIdentity.Principal(v, context)),
            .. ids.Field(source.Strings("serviceAccounts"), source.Strings("notServiceAccounts"), v => PeerIdentity.ServiceAccount(v, context)),
            .. ids.Field(source.Strings("namespaces"), source.Strings("notNamespaces"), PeerIdentity.Namespace),
            .. ids.Field(source.Strings("requestPrincipals"), source.Strings("notRequestPrincipals"),
                v => AuthnMetadata.String(AuthnMetadata.RequestPrincipal, v)),
            .. ids.Field(source.Strings("ipBlocks"), source.Strings("notIpBlocks"), v => DirectRemoteIp(v, context)),
            .. ids.Field(source.Strings("remoteIpBlocks"), source.Strings("notRemoteIpBlocks"), v => RemoteIp(v, context)),
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
