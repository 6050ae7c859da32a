using Mesh.Grains.Config;

namespace Mesh.Grains.Endpoints;

/// <summary>The lease of an auto-registered workload, keyed <c>namespace/name</c> like its WorkloadEntry. The proxy's
/// xDS stream holds it and renews it; when it is released (a graceful stop) the WorkloadEntry is deleted at once,
/// and when it lapses (the proxy vanished) it is deleted after the lease's duration.</summary>
[Alias("mesh.IWorkloadLeaseGrain")]
public interface IWorkloadLeaseGrain : IGrainWithStringKey
{
    /// <summary>Take or renew the lease and make the WorkloadEntry read <paramref name="lease"/>'s entry. A newer
    /// holder replaces an older one (the same proxy reconnected, perhaps to another silo).</summary>
    [Alias("Hold")] Task Hold(WorkloadLease lease);

    /// <summary>End the lease now, if <paramref name="holder"/> still holds it, and delete the WorkloadEntry.</summary>
    [Alias("Release")] Task Release(string holder);
}

/// <summary>What a proxy's stream holds: who it is, the WorkloadEntry it stands for, and for how long.</summary>
[GenerateSerializer, Immutable, Alias("mesh.WorkloadLease")]
public sealed record WorkloadLease
{
    /// <summary>The proxy's node id and its stream (so a stale stream cannot release a newer one's lease).</summary>
    [Id(0)] public required string Holder { get; init; }
    [Id(1)] public required ConfigWrite Entry { get; init; }
    [Id(2)] public required TimeSpan Duration { get; init; }
}
