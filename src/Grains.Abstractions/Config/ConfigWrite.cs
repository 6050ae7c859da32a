namespace Mesh.Grains.Config;

/// <summary>What a writer asks a config grain to store.</summary>
[GenerateSerializer, Immutable, Alias("mesh.ConfigWrite")]
public sealed record ConfigWrite
{
    [Id(0)] public required string ApiVersion { get; init; }
    [Id(1)] public Dictionary<string, string> Labels { get; init; } = [];
    [Id(2)] public Dictionary<string, string> Annotations { get; init; } = [];
    [Id(3)] public required string SpecJson { get; init; }
    /// <summary>When set, the write fails with <see cref="WriteOutcome.Conflict"/> unless the stored version is this one.</summary>
    [Id(4)] public long? ExpectedResourceVersion { get; init; }
    /// <summary>Report what would happen without storing anything.</summary>
    [Id(5)] public bool DryRun { get; init; }
    /// <summary>Whether the writer is the Kubernetes source. Anyone else's write to a resource the source stored is
    /// refused with <see cref="WriteOutcome.OwnedByKubernetes"/>, and the source's write to a resource someone else
    /// stored with <see cref="WriteOutcome.NotFromKubernetes"/>.</summary>
    [Id(6)] public bool FromKubernetesSource { get; init; }

    /// <summary>A write of a validated resource as it was read (labels and annotations copied: the write is immutable).</summary>
    public static ConfigWrite Of(Mesh.Config.Manifests.Resource resource) => new()
    {
        ApiVersion = resource.ApiVersion,
        Labels = new Dictionary<string, string>(resource.Metadata.Labels),
        Annotations = new Dictionary<string, string>(resource.Metadata.Annotations),
        SpecJson = resource.Spec.ToJsonString(),
    };

    /// <summary>Whether <paramref name="stored"/> holds exactly what this write asks to store (the server-managed
    /// metadata aside): storing it again would change nothing.</summary>
    public bool HasContentOf(StoredConfig stored) =>
        stored.ApiVersion == ApiVersion
        && stored.SpecJson == SpecJson
        && SameMap(stored.Labels, Labels)
        && SameMap(stored.Annotations, Annotations);

    private static bool SameMap(Dictionary<string, string> a, Dictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
