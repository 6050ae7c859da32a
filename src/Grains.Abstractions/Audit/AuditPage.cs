namespace Mesh.Grains.Audit;

/// <summary>What one audit shard holds: its entries in the order they were committed, and how many it did not keep.</summary>
[GenerateSerializer, Immutable, Alias("mesh.AuditPage")]
public sealed record AuditPage(
    [property: Id(0)] IReadOnlyList<AuditRecord> Entries,
    [property: Id(1)] long Dropped);
