namespace Mesh.Grains.Config;

/// <summary>One config resource, keyed <c>Kind/namespace/name</c>: its current version, a history of the last
/// ten, and durable writes with optimistic concurrency. A write returns only once it is stored.</summary>
/// <remarks>Version 1 added <see cref="Reconcile"/>, version 2 <see cref="SetStatus"/>. Orleans places a call made at version 1 only on a silo of a build
/// that has it (an older build's activation is replaced), so a rolling upgrade mixes builds safely; bump the version
/// whenever a method is added.</remarks>
[Alias("mesh.IConfigGrain")]
[Orleans.CodeGeneration.Version(2)]
public interface IConfigGrain : IGrainWithStringKey
{
    [Alias("Apply")] Task<WriteResult> Apply(ConfigWrite write);
    [Alias("Get")] Task<StoredConfig?> Get();
    [Alias("Delete")] Task<WriteResult> Delete(long? expectedResourceVersion, bool dryRun);
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
