namespace Mesh.Grains.Audit;

/// <summary>What an audit shard persists.</summary>
[GenerateSerializer, Alias("mesh.AuditLogState")]
public sealed class AuditLogState
{
    /// <summary>In commit order; at most <see cref="AuditLogGrain.MaxEntries"/>.</summary>
    [Id(0)] public List<AuditRecord> Entries { get; set; } = [];
    /// <summary>Entries this shard saw but did not keep (all of them are in the silo log).</summary>
    [Id(1)] public long Dropped { get; set; }
    /// <summary>The audit directory knows this shard.</summary>
    [Id(2)] public bool Registered { get; set; }
}
