namespace Mesh.Config.Manifests;

/// <summary>The part of a resource's <c>metadata</c> that the user writes.</summary>
public sealed record ResourceMetadata
{
    public required string Name { get; init; }
    public required string Namespace { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>The version the writer expects to replace (optimistic concurrency), if it named one.</summary>
    public string? ResourceVersion { get; init; }
}
