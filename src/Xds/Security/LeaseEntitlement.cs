using Mesh.Config.Kinds;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Security;

/// <summary>Who may lease tokens of an ApiPolicy's cluster-wide bucket (<c>ApiPolicy/NS/NAME/LIMIT</c>): gateways
/// (router nodes) only, of any namespace, since a policy in an app's namespace limits that app's routes wherever the
/// gateway that serves them runs (a VirtualService in <c>shop</c> bound to <c>istio-system/edge</c>). On the secured
/// port the node id must name the namespace the caller authenticated as, so a workload cannot pass for another
/// namespace's gateway. What stays open, said plainly: a workload may claim to be a router of its own namespace.</summary>
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
        if (!ProxyNodeId.TryParse(nodeId, out var node) || !node.IsRouter)
        {
            return $"node '{nodeId}' is not a gateway (router~IP~WORKLOAD.NS~NS.svc.DOMAIN): only gateways enforce Cluster limits";
        }
        return authenticatedNamespace is not null && authenticatedNamespace != node.Namespace
            ? $"the caller authenticated in namespace '{authenticatedNamespace}', but its node id names a gateway of '{node.Namespace}'"
            : null;
    }
}
