namespace Mesh.Grains.Services;

/// <summary>A service's endpoints, per port and per subset.</summary>
[GenerateSerializer, Immutable, Alias("mesh.ServiceEndpoints")]
public sealed record ServiceEndpoints(
    [property: Id(0)] string Host,
    [property: Id(1)] List<PortEndpoints> Ports,
    /// <summary>ServiceEntries that declare this host (<c>ServiceEntry/ns/name</c>).</summary>
    [property: Id(2)] List<string> ServiceEntries);

[GenerateSerializer, Immutable, Alias("mesh.PortEndpoints")]
public sealed record PortEndpoints(
    [property: Id(0)] ServicePort Port,
    [property: Id(1)] List<EndpointAddress> Endpoints,
    /// <summary>Subset name → the endpoints whose labels match it.</summary>
    [property: Id(2)] Dictionary<string, List<EndpointAddress>> Subsets);

[GenerateSerializer, Immutable, Alias("mesh.EndpointAddress")]
public sealed record EndpointAddress(
    [property: Id(0)] string WorkloadKey,
    [property: Id(1)] string Address,
    [property: Id(2)] int Port,
    [property: Id(3)] string Locality,
    [property: Id(4)] int Weight,
    [property: Id(5)] Dictionary<string, string> Labels,
    /// <summary>The workload's service account (empty for an inline endpoint).</summary>
    [property: Id(6)] string ServiceAccount = "");
