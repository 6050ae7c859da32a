namespace Mesh.Grains.Kubernetes;

/// <summary>Who may do one thing in the cluster at a time, keyed by what it guards (<c>kubernetes-source</c>): the
/// Kubernetes source's leader, so that three silos do not triple the API server's load or race each other's writes.
/// A holder keeps it by renewing before its time-to-live runs out; a holder that stops (its silo died) loses it once
/// that time has passed, and the next caller gets it.</summary>
[Alias("mesh.IKubernetesLeaseGrain")]
public interface IKubernetesLeaseGrain : IGrainWithStringKey
{
    /// <summary>Takes the lease for <paramref name="holder"/> if it is free or expired, renews it if
    /// <paramref name="holder"/> has it, and otherwise says who has it and for how long yet.</summary>
    [Alias("Acquire")] Task<KubernetesLease> Acquire(string holder, TimeSpan timeToLive);

    /// <summary>Gives the lease up at once (a silo shutting down), if <paramref name="holder"/> has it.</summary>
    [Alias("Release")] Task Release(string holder);
}

/// <summary>The lease as the grain sees it: its holder (empty when free), how long it holds yet, and its term, which
/// grows by one each time the holder changes (so a log line or a metric can tell two leaderships apart).</summary>
[GenerateSerializer, Immutable, Alias("mesh.KubernetesLease")]
public sealed record KubernetesLease(
    [property: Id(0)] string Holder,
    [property: Id(1)] TimeSpan Remaining,
    [property: Id(2)] long Term)
{
    public bool IsHeldBy(string holder) => Holder.Length > 0 && Holder == holder;
}
