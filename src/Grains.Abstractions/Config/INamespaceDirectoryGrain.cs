namespace Mesh.Grains.Config;

/// <summary>Which namespaces hold resources of which kinds. Sharded into <see cref="NamespaceDirectory.Buckets"/>
/// grains by a hash of the namespace, so no single grain sits on every listing.</summary>
[Alias("mesh.INamespaceDirectoryGrain")]
public interface INamespaceDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Add")] Task Add(string kind, string @namespace);
    /// <summary>Namespaces in this bucket that hold the kind, or any kind when <paramref name="kind"/> is null.</summary>
    [Alias("Namespaces")] Task<IReadOnlyList<string>> Namespaces(string? kind);
}

/// <summary>Maps a namespace to its directory bucket, the same way on every silo.</summary>
public static class NamespaceDirectory
{
    public const int Buckets = 16;

    public static long BucketOf(string @namespace)
    {
        // FNV-1a: stable across processes, unlike string.GetHashCode.
        uint hash = 2166136261;
        foreach (var c in @namespace)
        {
            hash = (hash ^ c) * 16777619;
        }
        return hash % Buckets;
    }
}
