namespace Mesh.Grains.Kubernetes;

/// <summary>A lease's holder and term as stored: written only when the holder changes, never on a renewal.</summary>
[GenerateSerializer, Alias("mesh.KubernetesLeaseState")]
public sealed class KubernetesLeaseState
{
    [Id(0)] public string Holder { get; set; } = "";

    [Id(1)] public long Term { get; set; }

    [Id(2)] public TimeSpan TimeToLive { get; set; }
}
