namespace Mesh.Grains.Config;

/// <summary>Reads the stored resources of one kind in one namespace through its index.</summary>
public static class ConfigReads
{
    /// <summary>Every stored resource the index names. An index may name a resource whose first write did not
    /// complete: those are skipped.</summary>
    public static async Task<List<StoredConfig>> ReadConfigs(this IGrainFactory grains, string kind, string @namespace)
    {
        var names = await grains.ConfigIndex(kind, @namespace).Names();
        var configs = await Task.WhenAll(names.Select(name => grains.Config(kind, @namespace, name).Get()));
        return [.. configs.OfType<StoredConfig>()];
    }
}
