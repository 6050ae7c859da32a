namespace Mesh.Grains.Config;

/// <summary>What a config grain persists. Kept after a delete, so resourceVersions are never reused.</summary>
[GenerateSerializer, Alias("mesh.ConfigState")]
public sealed class ConfigState
{
    [Id(0)] public StoredConfig? Current { get; set; }
    [Id(1)] public long LastResourceVersion { get; set; }
    /// <summary>The last <see cref="ConfigGrain.HistoryLength"/> stored versions, newest first.</summary>
    [Id(2)] public List<StoredConfig> History { get; set; } = [];
    /// <summary>The service hosts that may hold state derived from any version since the last complete reconcile:
    /// written with each version, so a reconcile after a crash knows where to take an old version off.</summary>
    [Id(3)] public List<string> Reached { get; set; } = [];
}
