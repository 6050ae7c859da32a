using Envoy.Config.Core.V3;
using Google.Protobuf.WellKnownTypes;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Security;

/// <summary>Binds a proxy's node to the identity it authenticated with, as istiod does: a proxy may speak only for
/// its own namespace and service account, so it cannot register, or be sent config as, another workload.</summary>
public static class NodeBinding
{
    /// <summary>Null when the node is consistent with the credential; otherwise why not.</summary>
    public static string? Mismatch(Node node, SpiffeId identity)
    {
        if (NodeMetadata.Text(node.Metadata, NodeMetadata.Namespace) is { Length: > 0 } ns && ns != identity.Namespace)
        {
            return $"node.metadata.{NodeMetadata.Namespace} is '{ns}' but the proxy authenticated as {identity}";
        }
        if (NodeMetadata.Text(node.Metadata, NodeMetadata.ServiceAccount) is { Length: > 0 } sa && sa != identity.ServiceAccount)
        {
            return $"node.metadata.{NodeMetadata.ServiceAccount} is '{sa}' but the proxy authenticated as {identity}";
        }
        // A node that says it is a sidecar or a router must be one of the namespace it authenticated in; other ids
        // (a plain gRPC client's) name no workload.
        if (!ProxyNodeId.Claims(node.Id)) return null;
        if (ProxyNodeId.Parse(node.Id, out var id) is { } malformed)
        {
            return $"node.id '{node.Id}' {malformed}";
        }
        if (id.Namespace != identity.Namespace)
        {
            return $"node.id '{node.Id}' names namespace '{id.Namespace}' but the proxy authenticated as {identity}";
        }
        return null;
    }
}
