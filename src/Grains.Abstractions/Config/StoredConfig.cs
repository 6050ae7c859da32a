using Mesh.Config.Keys;
using Mesh.Config.Manifests;

namespace Mesh.Grains.Config;

/// <summary>One version of a config resource as stored: metadata the server manages, and the spec as JSON text.</summary>
[GenerateSerializer, Immutable, Alias("mesh.StoredConfig")]
public sealed record StoredConfig
{
    [Id(0)] public required string Kind { get; init; }
    [Id(1)] public required string ApiVersion { get; init; }
    [Id(2)] public required string Namespace { get; init; }
    [Id(3)] public required string Name { get; init; }
    [Id(4)] public Dictionary<string, string> Labels { get; init; } = [];
    [Id(5)] public Dictionary<string, string> Annotations { get; init; } = [];
    /// <summary>The spec exactly as the user wrote it, as JSON.</summary>
    [Id(6)] public required string SpecJson { get; init; }
    /// <summary>Grows by one on every stored change of this resource, deletions included; never reused.</summary>
    [Id(7)] public long ResourceVersion { get; init; }
    /// <summary>Grows by one when the spec changes (not on label or annotation changes).</summary>
    [Id(8)] public long Generation { get; init; }
    [Id(9)] public required string Uid { get; init; }
    [Id(10)] public DateTimeOffset CreatedAt { get; init; }
    [Id(11)] public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The <c>status</c> object Mesh computed for the resource (the Gateway API kinds), as JSON; null when it
    /// has none. Written by the controller, never by an apply; it moves <see cref="ResourceVersion"/>, not
    /// <see cref="Generation"/>.</summary>
    [Id(12)] public string? StatusJson { get; init; }

    public string Key => ResourceKey.Of(Kind, Namespace, Name);

    /// <summary>Whether the Kubernetes source stored this version (<see cref="SourceAnnotation"/>): only it may change
    /// or delete the resource.</summary>
    public bool FromKubernetes => SourceAnnotation.IsKubernetes(Annotations);
}
