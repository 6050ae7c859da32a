namespace Mesh.Grains.Secrets;

/// <summary>Secret grain keys: <c>namespace/name</c>.</summary>
public static class SecretKeys
{
    public static string Of(string @namespace, string name) => $"{@namespace}/{name}";

    public static (string Namespace, string Name) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", key) : (key[..slash], key[(slash + 1)..]);
    }
}
