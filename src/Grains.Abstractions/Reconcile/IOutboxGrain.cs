namespace Mesh.Grains.Reconcile;

/// <summary>One bucket of the outbox: the config resources (<c>Kind/namespace/name</c>) whose derived state (service
/// and endpoint grains, the namespace feed) may not match them yet. A config grain adds its key, durably, before it
/// stores a write, and removes it once everything derived from the write is done; whatever fails in between, the
/// key stays here and the sweep reconciles it until it is done. Keyed by <see cref="OutboxBuckets.Of"/>.</summary>
[Alias("mesh.IOutboxGrain")]
public interface IOutboxGrain : IGrainWithIntegerKey
{
    /// <summary>Returns once the key is durably pending.</summary>
    [Alias("Add")] Task Add(string resourceKey);

    [Alias("Remove")] Task Remove(string resourceKey);

    /// <summary>The keys pending now, in order.</summary>
    [Alias("Pending")] Task<IReadOnlyList<string>> Pending();

    /// <summary>Reconciles every key that has been pending longer than the sweep delay (an apply in flight reconciles
    /// its own). A sweep already running makes this a no-op that reports the keys pending.</summary>
    [Alias("Sweep")] Task<SweepResult> Sweep();
}

/// <summary>What one sweep of a bucket found: keys pending when it started, and how many it reconciled.</summary>
[GenerateSerializer, Immutable, Alias("mesh.SweepResult")]
public sealed record SweepResult([property: Id(0)] int Pending, [property: Id(1)] int Reconciled);
