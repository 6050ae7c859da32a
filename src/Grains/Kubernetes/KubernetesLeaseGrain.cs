using Mesh.Grains.Config;

namespace Mesh.Grains.Kubernetes;

/// <summary>A lease (see <see cref="IKubernetesLeaseGrain"/>). Renewals stay in memory; the holder is persisted when
/// it changes, so that an activation that moved to another silo (its silo died) knows the holder and gives it a whole
/// time-to-live to renew, instead of handing the lease to a second holder while the first still acts.</summary>
public sealed class KubernetesLeaseGrain(
    [PersistentState("kubernetes-lease", StorageNames.Mesh)] IPersistentState<KubernetesLeaseState> state,
    TimeProvider time) : Grain, IKubernetesLeaseGrain
{
    private long _expires;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Holder.Length > 0) _expires = time.GetTimestamp() + Ticks(state.State.TimeToLive);
        return Task.CompletedTask;
    }

    public async Task<KubernetesLease> Acquire(string holder, TimeSpan timeToLive)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var now = time.GetTimestamp();
        if (state.State.Holder != holder && state.State.Holder.Length > 0 && now < _expires) return Current(now);
        if (state.State.Holder != holder || state.State.TimeToLive != timeToLive)
        {
            if (state.State.Holder != holder) state.State.Term++;
            state.State.Holder = holder;
            state.State.TimeToLive = timeToLive;
            await Write();
        }
        _expires = now + Ticks(timeToLive);
        return Current(now);
    }

    public async Task Release(string holder)
    {
        if (state.State.Holder != holder) return;
        state.State.Holder = "";
        _expires = 0;
        await Write();
    }

    private KubernetesLease Current(long now) => new(state.State.Holder, time.GetElapsedTime(now, Math.Max(now, _expires)), state.State.Term);

    /// <summary>A failed write leaves memory ahead of storage; deactivating makes the next call read storage again.</summary>
    private async Task Write()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);
}
