using Mesh.Grains.Config;

namespace Mesh.Silo.Api;

/// <summary>Reads stored resources across namespaces through the sharded directory and the per-namespace indexes.</summary>
public sealed class ConfigCatalog(IGrainFactory grains)
{
    /// <summary>Namespaces holding resources of the kind (or any kind, when null), from every directory bucket.</summary>
    public async Task<IReadOnlyList<string>> Namespaces(string? kind)
    {
        var buckets = await Task.WhenAll(Enumerable.Range(0, NamespaceDirectory.Buckets)
            .Select(bucket => grains.GetGrain<INamespaceDirectoryGrain>(bucket).Namespaces(kind)));
        return [.. buckets.SelectMany(b => b).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>Resources of a kind in one namespace or, when <paramref name="namespace"/> is null, in all.</summary>
    public async Task<IReadOnlyList<StoredConfig>> List(string kind, string? @namespace)
    {
        var namespaces = @namespace is null ? await Namespaces(kind) : [@namespace];
        var perNamespace = await Task.WhenAll(namespaces.Select(ns => grains.ReadConfigs(kind, ns)));
        return [.. perNamespace.SelectMany(configs => configs)];
    }

    /// <summary>How many resources of a kind the indexes hold, across namespaces: one call per namespace, none per resource.</summary>
    public async Task<long> Count(string kind)
    {
        var counts = await Task.WhenAll((await Namespaces(kind)).Select(ns => grains.ConfigIndex(kind, ns).Count()));
        return counts.Sum(c => (long)c);
    }
}
