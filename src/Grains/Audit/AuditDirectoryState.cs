namespace Mesh.Grains.Audit;

/// <summary>What an audit directory bucket persists: namespace → the hours that have a shard.</summary>
[GenerateSerializer, Alias("mesh.AuditDirectoryState")]
public sealed class AuditDirectoryState
{
    [Id(0)] public Dictionary<string, SortedSet<string>> Hours { get; set; } = [];
}
