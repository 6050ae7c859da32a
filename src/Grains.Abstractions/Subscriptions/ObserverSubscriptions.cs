using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mesh.Grains.Subscriptions;

/// <summary>One observer's subscriptions to grains of one type, one per grain key whatever the number of consumers
/// behind the observer (as Orleans' samples do it: one object reference, subscriptions renewed periodically because
/// the grain keeps them in memory only). <see cref="Open"/> subscribes before it reads, so no change falls between
/// the two; a key whose grain answers a renewal with a new epoch, or whose open did not complete, is resynced.
/// Created by <see cref="SubscriptionRegistry.Add"/>; disposing unsubscribes, stops renewing and deletes the
/// observer reference.</summary>
public sealed partial class ObserverSubscriptions<TGrain, TObserver> : IRenewable, IAsyncDisposable
    where TGrain : ISubscribable<TObserver>
    where TObserver : class, IGrainObserver
{
    // Disposal waits this long for a renewal in flight and for the unsubscriptions (at a silo's shutdown, grain
    // calls may no longer be answered); what is left expires on its own.
    private static readonly TimeSpan DisposalLimit = TimeSpan.FromSeconds(2);
    private readonly IGrainFactory _grains;
    private readonly Renewal _renewal;
    private readonly SubscriptionRegistry _registry;
    private readonly ILogger _logger;
    private readonly Lazy<TObserver> _reference;
    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _renewNow = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;
    private Func<Task<IReadOnlyList<string>>>? _follow;

    internal ObserverSubscriptions(IGrainFactory grains, TObserver observer, Renewal renewal, SubscriptionRegistry registry, ILogger logger)
    {
        _grains = grains;
        _renewal = renewal;
        _registry = registry;
        _logger = logger;
        // Made on first use: a singleton may be built before the silo can make references.
        _reference = new Lazy<TObserver>(() => grains.CreateObjectReference<TObserver>(observer));
        _renewing = Task.Run(RenewLoop);
    }

    /// <summary>Subscribes to the grain keyed <paramref name="key"/>, then reads its state through
    /// <paramref name="read"/>: a change made after the subscription reaches the observer, one made before is in
    /// what is read. The subscription is renewed from then on.</summary>
    public async Task<T> Open<T>(string key, Func<Task<T>> read)
    {
        var held = _held.GetOrAdd(key, _ => new Held());
        Interlocked.Increment(ref held.Opening);
        try
        {
            var subscription = await Grain(key).Subscribe(_reference.Value);
            var value = await read();
            held.Epoch = subscription.Epoch;
            return value;
        }
        finally
        {
            Interlocked.Decrement(ref held.Opening);
        }
    }

    /// <summary>From now on, also hold every key <paramref name="keys"/> lists at each renewal (for an observer of
    /// a set that grows, such as every namespace); a new one is subscribed and resynced.</summary>
    public void Follow(Func<Task<IReadOnlyList<string>>> keys) => _follow = keys;

    /// <summary>Renew now rather than at the next period.</summary>
    public void RenewNow()
    {
        try
        {
            _renewNow.Release();
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile: nothing left to renew.
        }
    }

    private async Task RenewLoop()
    {
        try
        {
            while (true)
            {
                await _renewNow.WaitAsync(_renewal.Every, _stop.Token);
                await Renew();
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Disposed: cancelled, or woken after disposal gave up waiting.
        }
    }

    private async Task Renew()
    {
        if (_follow is { } follow)
        {
            try
            {
                foreach (var key in await follow()) _held.TryAdd(key, new Held());
            }
            catch (Exception exception)
            {
                if (_stop.IsCancellationRequested) return;
                LogFollowFailed(_logger, typeof(TGrain).Name, exception);
            }
        }
        foreach (var (key, held) in _held)
        {
            // An open in flight reads after it subscribes; a resync meanwhile would read the same twice.
            if (Volatile.Read(ref held.Opening) > 0) continue;
            try
            {
                var subscription = await Grain(key).Subscribe(_reference.Value);
                if (subscription.Epoch == held.Epoch) continue;
                await _renewal.Resync(key);
                held.Epoch = subscription.Epoch;
            }
            catch (Exception exception)
            {
                if (_stop.IsCancellationRequested) return;
                LogRenewFailed(_logger, typeof(TGrain).Name, key, exception);
            }
        }
    }

    private TGrain Grain(string key) => _grains.GetGrain<TGrain>(key);

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        // Off the registry first, so that a silo's death no longer reaches it.
        _registry.Remove(this);
        await _stop.CancelAsync();
        await Bounded(_renewing);
        if (_reference.IsValueCreated)
        {
            await Bounded(Task.WhenAll(_held.Keys.Select(key => Grain(key).Unsubscribe(_reference.Value))));
            _grains.DeleteObjectReference<TObserver>(_reference.Value);
        }
        _renewNow.Dispose();
        _stop.Dispose();
    }

    private static async Task Bounded(Task task)
    {
        try
        {
            await task.WaitAsync(DisposalLimit);
        }
        catch (Exception)
        {
            // Expires on its own.
        }
    }

    private sealed class Held
    {
        private Guid? _epoch;

        /// <summary>Opens in flight.</summary>
        public int Opening;

        /// <summary>The epoch of the activation that holds the subscription; null until a read completed.</summary>
        public Guid? Epoch
        {
            get { lock (this) return _epoch; }
            set { lock (this) _epoch = value; }
        }
    }
}
