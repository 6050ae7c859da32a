namespace Mesh.Config.Manifests;

/// <summary>Bounds on what the manifest reader accepts, so hostile input costs little.</summary>
public sealed record ManifestLimits
{
    /// <summary>Largest whole manifest, in bytes (default 8 MiB).</summary>
    public int MaxManifestBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Largest single document once read (default 1 MiB, about etcd's limit for a Kubernetes object).</summary>
    public int MaxDocumentBytes { get; init; } = 1024 * 1024;

    /// <summary>Most documents in one manifest (default 1000).</summary>
    public int MaxDocuments { get; init; } = 1000;

    /// <summary>Deepest nesting of maps and lists (default 64).</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most nodes one document may expand to, aliases counted each time they are used (default 100 000).</summary>
    public int MaxNodes { get; init; } = 100_000;

    /// <summary>Longest single string value (default 256 KiB).</summary>
    public int MaxStringLength { get; init; } = 256 * 1024;

    public static ManifestLimits Default { get; } = new();
}
