namespace Mesh.Grains.Audit;

/// <summary>Which audit shards exist, so a listing reads those and activates no empty ones. Sharded into
/// <see cref="AuditShards.Buckets"/> grains by a hash of the namespace; a shard registers itself once, before its
/// first entries are stored.</summary>
[Alias("mesh.IAuditDirectoryGrain")]
public interface IAuditDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Add")] Task Add(string @namespace, string hour);
    /// <summary>Shard keys from <paramref name="fromHour"/> on, of one namespace or (null) every namespace in this bucket.</summary>
    [Alias("Shards")] Task<IReadOnlyList<string>> Shards(string? @namespace, string fromHour);
}
