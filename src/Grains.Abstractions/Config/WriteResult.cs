namespace Mesh.Grains.Config;

/// <summary>The outcome of a write and the resource as it stands after it (before it, for a delete or conflict).</summary>
[GenerateSerializer, Immutable, Alias("mesh.WriteResult")]
public sealed record WriteResult(
    [property: Id(0)] WriteOutcome Outcome,
    [property: Id(1)] StoredConfig? Config,
    [property: Id(2)] long CurrentResourceVersion);
