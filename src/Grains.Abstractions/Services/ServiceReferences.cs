namespace Mesh.Grains.Services;

/// <summary>The config resources a service host is built from, as <c>Kind/namespace/name</c> keys.</summary>
[GenerateSerializer, Immutable, Alias("mesh.ServiceReferences")]
public sealed record ServiceReferences(
    [property: Id(0)] List<string> ServiceEntries,
    [property: Id(1)] List<string> DestinationRules);
