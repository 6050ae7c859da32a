namespace Mesh.Kubernetes.Registry;

/// <summary>Reads the labels and annotations maps of Kubernetes models, which may be absent.</summary>
internal static class MetadataMaps
{
    public static string? Value(this IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : null;
}
