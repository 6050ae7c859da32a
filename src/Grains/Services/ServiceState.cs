using Mesh.Grains.Endpoints;

namespace Mesh.Grains.Services;

/// <summary>What a service grain persists: its entries, the workloads each selects, and subsets by DestinationRule.</summary>
[GenerateSerializer, Alias("mesh.ServiceState")]
public sealed class ServiceState
{
    [Id(0)] public Dictionary<string, ServiceEntryView> Entries { get; set; } = [];
    [Id(1)] public Dictionary<string, Dictionary<string, WorkloadInfo>> Selected { get; set; } = [];
    [Id(2)] public Dictionary<string, List<SubsetView>> Subsets { get; set; } = [];
    [Id(3)] public Dictionary<string, ConfigSpec> DestinationRules { get; set; } = [];
    [Id(4)] public Dictionary<string, ConfigSpec> VirtualServices { get; set; } = [];

    public bool IsEmpty => Entries.Count == 0 && Subsets.Count == 0 && DestinationRules.Count == 0 && VirtualServices.Count == 0;
}
