using Mesh.Xds.Resources;
using Mesh.Xds.Translation.Gateways;

namespace Mesh.Xds.Security;

/// <summary>Who may receive a gateway credential. <c>kubernetes://NS/...</c>: only gateways (router nodes,
/// <c>router~IP~WORKLOAD.NS~NS.svc.DOMAIN</c>) of NS, as a Gateway's <c>credentialName</c> resolves in the gateway
/// workload's namespace in Istio. <c>kubernetes-gateway://NS/NAME</c> (a Secret of another namespace): also a gateway
/// one of whose own Gateways carries that name right now. Only the Gateway API conversion writes it, and only while a
/// ReferenceGrant in NS lets Gateways of the gateway's namespace use the Secret (an Istio Gateway's credentialName must
/// be a DNS subdomain, so it cannot name one); a revoked grant is thus refused from the next fetch on. On the secured
/// port the node id's namespace is the one the proxy authenticated as (<see cref="NodeBinding"/>).</summary>
/// <param name="gatewaysOf">The gateways that select a workload (namespace, workload), as its listeners are translated from.</param>
public sealed class CredentialEntitlement(Func<string, string, Task<IReadOnlyList<BoundGateway>>> gatewaysOf)
{
    public async Task<bool> Allows(string nodeId, string resource)
    {
        // The gateways are read only for a granted credential of another namespace: the one case they decide.
        var decidedByGateways = ProxyNodeId.TryParse(nodeId, out var node) && node.IsRouter
            && SecretNames.TryParseCredential(resource, out var secretNamespace, out _, out _, out var granted)
            && granted && secretNamespace != node.Namespace;
        return Allows(nodeId, resource, decidedByGateways ? await gatewaysOf(node.Namespace, node.Workload) : []);
    }

    /// <summary>Whether the node may have the credential <paramref name="resource"/>, given the gateways that select it.</summary>
    public static bool Allows(string nodeId, string resource, IReadOnlyList<BoundGateway> gateways)
    {
        if (!ProxyNodeId.TryParse(nodeId, out var node) || !node.IsRouter) return false;
        var @namespace = node.Namespace;
        if (!SecretNames.TryParseCredential(resource, out var secretNamespace, out _, out _, out var granted)) return false;
        if (secretNamespace == @namespace) return true;
        return granted && gateways.SelectMany(g => g.View.Servers).Select(s => s.Tls).OfType<Config.Views.Gateways.ServerTlsSettings>()
            .SelectMany(t => t.Credentials)
            .Any(c => SecretNames.OfServerCredential(@namespace, c) == resource || SecretNames.OfServerCredential(@namespace, c, ca: true) == resource);
    }
}
