namespace Mesh.Grains.Endpoints;

/// <summary>A workload instance: where it listens and what it is, from a WorkloadEntry or a ServiceEntry's
/// inline endpoint.</summary>
[GenerateSerializer, Immutable, Alias("mesh.WorkloadInfo")]
public sealed record WorkloadInfo
{
    /// <summary><c>namespace/name</c> of the WorkloadEntry, or <c>ServiceEntry/ns/name#i</c> for an inline endpoint.</summary>
    [Id(0)] public required string Key { get; init; }
    [Id(1)] public required string Namespace { get; init; }
    [Id(2)] public required string Address { get; init; }
    /// <summary>Port name → port number on the workload, overriding the service's port.</summary>
    [Id(3)] public Dictionary<string, int> Ports { get; init; } = [];
    [Id(4)] public Dictionary<string, string> Labels { get; init; } = [];
    /// <summary><c>region/zone/subzone</c>; empty when unknown.</summary>
    [Id(5)] public string Locality { get; init; } = "";
    [Id(6)] public string Network { get; init; } = "";
    [Id(7)] public int Weight { get; init; }
    [Id(8)] public string ServiceAccount { get; init; } = "";
}
