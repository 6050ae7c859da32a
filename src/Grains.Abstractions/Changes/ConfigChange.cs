using Mesh.Grains.Config;

namespace Mesh.Grains.Changes;

/// <summary>A change to one resource, as the change feed carries it.</summary>
[GenerateSerializer, Immutable, Alias("mesh.ConfigChange")]
public sealed record ConfigChange(
    [property: Id(0)] ChangeType Type,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Namespace,
    [property: Id(3)] string Name,
    [property: Id(4)] long ResourceVersion,
    /// <summary>The resource after the change; before it, for a deletion.</summary>
    [property: Id(5)] StoredConfig Config);

[GenerateSerializer, Alias("mesh.ChangeType")]
public enum ChangeType
{
    Added = 0,
    Modified = 1,
    Deleted = 2,
}
