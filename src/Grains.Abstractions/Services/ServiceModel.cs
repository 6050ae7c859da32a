namespace Mesh.Grains.Services;

/// <summary>Everything the xDS translation needs about one service host: its ports and endpoints (per subset),
/// and the DestinationRules and VirtualServices that name it, as their validated specs.</summary>
[GenerateSerializer, Immutable, Alias("mesh.ServiceModel")]
public sealed record ServiceModel(
    [property: Id(0)] string Host,
    /// <summary>Ports the host's ServiceEntries declare, with their endpoints and subsets.</summary>
    [property: Id(1)] List<PortEndpoints> Ports,
    /// <summary>DestinationRules whose (qualified) host is this one, ordered by key.</summary>
    [property: Id(2)] List<ConfigSpec> DestinationRules,
    /// <summary>VirtualServices listing this host among their (qualified) hosts, ordered by key.</summary>
    [property: Id(3)] List<ConfigSpec> VirtualServices,
    [property: Id(4)] List<string> ServiceEntries,
    /// <summary>When the grain last changed: the start of the convergence clock.</summary>
    [property: Id(5)] DateTimeOffset ChangedAt)
{
    /// <summary>W3C trace context of the operation behind the last change, for linking push spans to it.</summary>
    [Id(6)] public string? TraceParent { get; init; }

    /// <summary>The service's VIPs (its ServiceEntries' <c>addresses</c>): a request whose authority is one of them
    /// is for this host, as in Istio's virtual host domains.</summary>
    [Id(7)] public List<string> Addresses { get; init; } = [];

    /// <summary>Set when this model's key is a VIP rather than a host: the host the address stands for. A captured
    /// connection to <c>VIP:PORT</c> asks for that listener, which routes with the host's route configuration.</summary>
    [Id(8)] public string? AliasOf { get; init; }

    public bool IsEmpty => Ports.Count == 0 && DestinationRules.Count == 0 && VirtualServices.Count == 0;
}

/// <summary>A stored resource's key (<c>Kind/namespace/name</c>), namespace and spec JSON.</summary>
[GenerateSerializer, Immutable, Alias("mesh.ConfigSpec")]
public sealed record ConfigSpec(
    [property: Id(0)] string Key,
    [property: Id(1)] string Namespace,
    [property: Id(2)] string SpecJson);
