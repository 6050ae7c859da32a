using Mesh.Config.Keys;

namespace Mesh.Grains.Config;

/// <summary>The config grains by what they are keyed on, so no caller spells a key by hand.</summary>
public static class ConfigGrains
{
    public static IConfigGrain Config(this IGrainFactory grains, string kind, string @namespace, string name)
        => grains.GetGrain<IConfigGrain>(ResourceKey.Of(kind, @namespace, name));

    public static IConfigIndexGrain ConfigIndex(this IGrainFactory grains, string kind, string @namespace)
        => grains.GetGrain<IConfigIndexGrain>(ResourceKey.Index(kind, @namespace));
}
