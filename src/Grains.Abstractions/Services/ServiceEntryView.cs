using Mesh.Grains.Endpoints;

namespace Mesh.Grains.Services;

/// <summary>What a service grain needs of one ServiceEntry that declares its host.</summary>
[GenerateSerializer, Immutable, Alias("mesh.ServiceEntryView")]
public sealed record ServiceEntryView
{
    /// <summary><c>ServiceEntry/namespace/name</c>.</summary>
    [Id(0)] public required string Key { get; init; }
    [Id(1)] public required string Namespace { get; init; }
    [Id(2)] public List<ServicePort> Ports { get; init; } = [];
    [Id(3)] public string Resolution { get; init; } = "NONE";
    [Id(4)] public string Location { get; init; } = "MESH_EXTERNAL";
    /// <summary>Labels WorkloadEntries must carry to back this service; null when the entry lists endpoints itself.</summary>
    [Id(5)] public Dictionary<string, string>? WorkloadSelector { get; init; }
    [Id(6)] public List<WorkloadInfo> InlineEndpoints { get; init; } = [];
    /// <summary>The entry's hosts, qualified: what a grain keyed by one of <see cref="Addresses"/> stands for.</summary>
    [Id(7)] public List<string> Hosts { get; init; } = [];
    /// <summary>The single IP addresses (VIPs) of <c>spec.addresses</c>; CIDR ranges are not a service's address.</summary>
    [Id(8)] public List<string> Addresses { get; init; } = [];
}

[GenerateSerializer, Immutable, Alias("mesh.ServicePort")]
public sealed record ServicePort(
    [property: Id(0)] int Number,
    [property: Id(1)] string Name,
    [property: Id(2)] string Protocol,
    [property: Id(3)] int TargetPort);

/// <summary>A DestinationRule subset: a name and the labels its endpoints carry.</summary>
[GenerateSerializer, Immutable, Alias("mesh.SubsetView")]
public sealed record SubsetView([property: Id(0)] string Name, [property: Id(1)] Dictionary<string, string> Labels);
