namespace Mesh.Config.Keys;

/// <summary>What a config resource is known by everywhere: its grain key <c>Kind/namespace/name</c>
/// (<c>VirtualService/bookinfo/reviews</c>). The index of one kind in one namespace is keyed <c>Kind/namespace</c>.</summary>
public readonly record struct ResourceKey(string Kind, string Namespace, string Name)
{
    public override string ToString() => $"{Kind}/{Namespace}/{Name}";

    public static string Of(string kind, string @namespace, string name) => new ResourceKey(kind, @namespace, name).ToString();

    /// <summary>A key Mesh made; anything else is a bug, so it throws.</summary>
    public static ResourceKey Parse(string key)
    {
        var parts = key.Split('/', 3);
        return parts.Length == 3 ? new(parts[0], parts[1], parts[2]) : throw new FormatException($"'{key}' is not a Kind/namespace/name key");
    }

    /// <summary>The key of the index of one kind's names in one namespace.</summary>
    public static string Index(string kind, string @namespace) => $"{kind}/{@namespace}";

    public static (string Kind, string Namespace) ParseIndex(string key)
    {
        var slash = key.IndexOf('/');
        return slash > 0 ? (key[..slash], key[(slash + 1)..]) : throw new FormatException($"'{key}' is not a Kind/namespace index key");
    }
}
