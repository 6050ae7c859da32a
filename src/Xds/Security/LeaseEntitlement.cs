using Mesh.Config.Kinds;

namespace Mesh.Xds.Security;

/// <summary>Who may lease tokens of an ApiPolicy's cluster-wide bucket (<c>ApiPolicy/NS/NAME/LIMIT</c>): only gateways
/// (router nodes) of the policy's namespace, the rule <see cref="CredentialEntitlement"/> applies to a namespace's
/// gateway credentials. On the secured port the node id must also name the namespace the caller authenticated as, so
/// a workload cannot drain (or refill) another namespace's buckets by claiming its node id.</summary>
public static class LeaseEntitlement
{
    /// <summary>Null when <paramref name="nodeId"/> may lease from <paramref name="bucket"/>; otherwise why not.</summary>
    /// <param name="authenticatedNamespace">The caller's namespace on the secured port; null on the loopback port.</param>
    public static string? Refusal(string nodeId, string? authenticatedNamespace, string bucket)
    {
        var parts = bucket.Split('/');
        if (parts.Length != 4 || parts[0] != KindNames.ApiPolicy || parts[1].Length == 0)
        {
            return $"bucket '{bucket}' is not an ApiPolicy limit (ApiPolicy/NAMESPACE/NAME/LIMIT)";
        }
        var @namespace = parts[1];
        if (authenticatedNamespace is not null && authenticatedNamespace != @namespace)
        {
            return $"the caller authenticated in namespace '{authenticatedNamespace}', but the ApiPolicy is in '{@namespace}'";
        }
        return CredentialEntitlement.Allows(nodeId, @namespace) ? null
            : $"node '{nodeId}' is not a gateway (router~IP~WORKLOAD.NS~NS.svc.DOMAIN) of namespace '{@namespace}', where the ApiPolicy is";
    }
}
