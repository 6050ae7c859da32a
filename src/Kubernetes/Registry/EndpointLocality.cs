using k8s.Models;

namespace Mesh.Kubernetes.Registry;

/// <summary>An endpoint's locality (<c>region/zone/subzone</c>), from where istiod takes it.</summary>
/// <remarks>In order: the pod's <c>istio-locality</c> label (dots separate its parts, since <c>/</c> is not allowed in a
/// label value); else the labels of the pod's node (<c>topology.kubernetes.io/region</c>, <c>/zone</c>,
/// <c>topology.istio.io/subzone</c>), with the endpoint's own <c>zone</c> standing in for a node that has no zone label.
/// A slice names a zone but never a region, so without a node that has a region the locality is unknown (empty),
/// never a zone posing as a region.</remarks>
public static class EndpointLocality
{
    public const string PodLabel = "istio-locality";
    public const string RegionLabel = "topology.kubernetes.io/region";
    public const string ZoneLabel = "topology.kubernetes.io/zone";
    public const string SubzoneLabel = "topology.istio.io/subzone";

    public static string Of(V1Endpoint endpoint, V1Pod? pod, V1Node? node)
    {
        if (pod?.Metadata?.Labels.Value(PodLabel) is { Length: > 0 } label)
        {
            return Join(label.Split('.'));
        }
        var labels = node?.Metadata?.Labels;
        var region = labels.Value(RegionLabel) ?? "";
        if (region.Length == 0) return "";
        var zone = labels.Value(ZoneLabel) is { Length: > 0 } nodeZone ? nodeZone : endpoint.Zone ?? "";
        if (zone.Length == 0) return region;
        var subzone = labels.Value(SubzoneLabel) ?? "";
        return subzone.Length == 0 ? $"{region}/{zone}" : $"{region}/{zone}/{subzone}";
    }

    /// <summary>The parts up to the first empty one: Mesh's locality has no empty parts in between.</summary>
    private static string Join(IEnumerable<string> parts) => string.Join('/', parts.TakeWhile(p => p.Length > 0).Take(3));

    /// <summary>The node an endpoint runs on: the slice says so, or the pod does.</summary>
    public static string? NodeName(V1Endpoint endpoint, V1Pod? pod) =>
        endpoint.NodeName is { Length: > 0 } name ? name : pod?.Spec?.NodeName;
}
