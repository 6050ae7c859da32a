using Mesh.Grains.Directories;

namespace Mesh.Grains.Gateways;

/// <summary>Every gateway resource and the workloads it selects, so that the xDS side finds the gateways of a
/// gateway workload (Istio: a Gateway in any namespace selects the workloads whose labels include its selector).
/// One grain (<see cref="Key"/>): it changes only when a gateway's selector does and is read when a gateway
/// proxy's listener is first translated on a silo, never per push.</summary>
[Alias("mesh.IGatewayDirectoryGrain")]
public interface IGatewayDirectoryGrain : IDirectoryGrain<GatewaySelection>
{
    public const string Key = "gateways";
}

/// <summary>The workloads a gateway resource selects: those whose labels include <see cref="Labels"/>, in
/// <see cref="Namespace"/> only when set (a Gateway API Gateway), else in any namespace (an Istio Gateway).</summary>
[GenerateSerializer, Immutable, Alias("mesh.GatewaySelection")]
public sealed record GatewaySelection(
    [property: Id(0)] string GatewayKey,
    [property: Id(1)] Dictionary<string, string> Labels,
    [property: Id(2)] string? Namespace)
{
    public bool Selects(string workloadNamespace, IReadOnlyDictionary<string, string> workloadLabels)
        => (Namespace is null || Namespace == workloadNamespace)
           && new Mesh.Config.Views.Security.WorkloadSelection(Labels, ByTargetRef: false).Selects(workloadLabels);

    public bool SameAs(GatewaySelection other) => GatewayKey == other.GatewayKey && Namespace == other.Namespace
        && Labels.Count == other.Labels.Count && Labels.All(l => other.Labels.TryGetValue(l.Key, out var v) && v == l.Value);
}
