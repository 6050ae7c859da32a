using Envoy.Config.Core.V3;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Server;

/// <summary>What a proxy's status tells of it beyond its id, read once from the node its stream opened with (Istio's
/// agent and Mesh's sidecar send the same keys, <see cref="NodeMetadata"/>).</summary>
/// <param name="Namespace">The workload's namespace: <c>NAMESPACE</c>, else the namespace in the node id.</param>
/// <param name="Labels">The workload's labels (<c>LABELS</c>), which workload policies select by.</param>
internal sealed record ProxyNodeFacts(string MetricsUrl, string Namespace, IReadOnlyDictionary<string, string> Labels)
{
    public static ProxyNodeFacts Of(Node node) => new(
        NodeMetadata.Text(node.Metadata, NodeMetadata.MetricsUrl) ?? "",
        NodeMetadata.Text(node.Metadata, NodeMetadata.Namespace) is { Length: > 0 } @namespace ? @namespace
            : ProxyNodeId.TryParse(node.Id, out var id) ? id.Namespace : "",
        NodeMetadata.LabelsOf(node.Metadata));
}
