namespace Mesh.Grains.Config;

/// <summary>One config resource, keyed <c>Kind/namespace/name</c>: its current version, a history of the last
/// ten, and durable writes with optimistic concurrency. A write returns only once it is stored.</summary>
/// <remarks>Version 1 added <see cref="Reconcile"/>, version 2 <see cref="SetStatus"/>, version 3 the writer's source
/// (<see cref="ConfigWrite.FromKubernetesSource"/>, the three-argument <c>Delete</c>): a resource the Kubernetes source
/// stored refuses everyone else's writes. Orleans places a call made at version N only on a silo of a build that has it
/// (an older build's activation is replaced), so a rolling upgrade mixes builds safely; bump the version whenever a
/// method is added. A caller of an older build still reaches a newer activation and is not the source to it: until
/// the source's leadership moves to a new build, its writes to its own resources are refused and retried each sync
/// (an older API silo checked ownership itself before writing). Version 4 refuses the source's own write or delete of
/// a resource someone else stored (<see cref="WriteOutcome.NotFromKubernetes"/>), so ownership needs no read before a
/// write; a v4 caller must not reach a version-3 activation, which would let it overwrite that resource. An older
/// build's source reading that refusal (an outcome it does not know) takes it for success and mistakes the API's
/// resource for its own until leadership moves; the grain still refuses its writes, so nothing is overwritten.</remarks>
[Alias("mesh.IConfigGrain")]
[Orleans.CodeGeneration.Version(4)]
public interface IConfigGrain : IGrainWithStringKey
{
    [Alias("Apply")] Task<WriteResult> Apply(ConfigWrite write);
    [Alias("Get")] Task<StoredConfig?> Get();
    /// <summary>A delete by anyone but the Kubernetes source (kept for callers of version 2).</summary>
    [Alias("Delete")] Task<WriteResult> Delete(long? expectedResourceVersion, bool dryRun);
    /// <summary>Deletes the resource; refused with <see cref="WriteOutcome.OwnedByKubernetes"/> when the source stored
    /// it and <paramref name="fromKubernetesSource"/> is false, with <see cref="WriteOutcome.NotFromKubernetes"/> when
    /// someone else stored it and <paramref name="fromKubernetesSource"/> is true.</summary>
    [Alias("DeleteFrom")] Task<WriteResult> Delete(long? expectedResourceVersion, bool dryRun, bool fromKubernetesSource);
    /// <summary>Stored versions, newest first (deleted resources keep theirs).</summary>
    [Alias("History")] Task<IReadOnlyList<StoredConfig>> History();
    /// <summary>Makes what derives from the stored resource (its listing in the index, the namespace feed, service grains) match it, and takes
    /// its key out of the outbox once that is done. Idempotent; false when a step failed (the key stays pending).</summary>
    [Alias("Reconcile")] Task<bool> Reconcile();
    /// <summary>Stores the resource's computed status (null: none) as a new resourceVersion with the same spec and
    /// generation, lists and publishes it; derived state is not recomputed (status is not an input of it). Does
    /// nothing when the resource does not exist or already holds that status.</summary>
    [Alias("SetStatus")] Task SetStatus(string? statusJson);
}
