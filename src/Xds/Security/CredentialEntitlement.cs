namespace Mesh.Xds.Security;

/// <summary>Who may receive a namespace's gateway credentials (<c>kubernetes://NS/...</c>): only gateways (router
/// nodes, <c>router~IP~WORKLOAD.NS~NS.svc.DOMAIN</c>) of that namespace, as a Gateway's <c>credentialName</c> resolves
/// in the gateway workload's namespace in Istio. On the secured port the node id's namespace is the one the proxy
/// authenticated as (<see cref="NodeBinding"/>).</summary>
public static class CredentialEntitlement
{
    public static bool Allows(string nodeId, string @namespace)
    {
        var parts = nodeId.Split('~');
        return parts.Length == 4 && parts[0] == "router" && parts[3].Split('.')[0] == @namespace;
    }
}
