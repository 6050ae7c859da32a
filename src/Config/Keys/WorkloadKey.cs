using Mesh.Config.Kinds;

namespace Mesh.Config.Keys;

/// <summary>What a workload instance is known by: <c>namespace/name</c> of its WorkloadEntry (the key of its endpoint
/// and lease grains, and the <c>workload</c> endpoint metadata the sidecar reads), or
/// <c>ServiceEntry/namespace/name#index</c> for an endpoint written inline in a ServiceEntry.</summary>
public static class WorkloadKey
{
    public static string Of(string @namespace, string name) => $"{@namespace}/{name}";

    /// <summary>The key of the <paramref name="index"/>th inline endpoint of a ServiceEntry.</summary>
    public static string Inline(string serviceEntryKey, int index) => $"{serviceEntryKey}#{index}";

    /// <summary>The WorkloadEntry's namespace and name; false for an inline endpoint or a key Mesh did not make.</summary>
    public static bool TryParse(string key, out string @namespace, out string name)
    {
        var slash = key.IndexOf('/');
        var entry = slash > 0 && !key.StartsWith(KindNames.ServiceEntry + "/", StringComparison.Ordinal);
        @namespace = entry ? key[..slash] : "";
        name = entry ? key[(slash + 1)..] : "";
        return entry;
    }

    /// <summary>The grain key of the WorkloadEntry config behind a WorkloadEntry's workload key.</summary>
    public static string EntryResourceKey(string key)
        => TryParse(key, out var @namespace, out var name)
            ? ResourceKey.Of(KindNames.WorkloadEntry, @namespace, name)
            : throw new FormatException($"'{key}' is not a namespace/name workload key");
}
