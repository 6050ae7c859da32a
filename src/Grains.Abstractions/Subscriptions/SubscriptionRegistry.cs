using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Mesh.Grains.Subscriptions;

/// <summary>Every live grain subscription of this process. When a silo dies, the grains it held come back elsewhere
/// without their subscribers, so <see cref="RenewAll"/> renews them all at once instead of at their next period.</summary>
public sealed class SubscriptionRegistry(IGrainFactory grains, ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<IRenewable, byte> _live = new();

    /// <summary>Subscriptions of <paramref name="observer"/> to grains of type <typeparamref name="TGrain"/>, held
    /// here until disposed.</summary>
    public ObserverSubscriptions<TGrain, TObserver> Add<TGrain, TObserver>(TObserver observer, Renewal renewal)
        where TGrain : ISubscribable<TObserver>
        where TObserver : class, IGrainObserver
    {
        var subscriptions = new ObserverSubscriptions<TGrain, TObserver>(grains, observer, renewal, this,
            loggers.CreateLogger<ObserverSubscriptions<TGrain, TObserver>>());
        _live.TryAdd(subscriptions, 0);
        return subscriptions;
    }

    /// <summary>Renews <paramref name="renewable"/> with the subscriptions when a silo dies, until <see cref="Remove"/>:
    /// for state other than an observer subscription that a grain forgets with its silo (a stream's proxy status).</summary>
    public void Track(IRenewable renewable) => _live.TryAdd(renewable, 0);

    /// <summary>How many subscription sets (and other renewables) are live.</summary>
    public int Count => _live.Count;

    /// <summary>Every live subscription renews now (and resyncs where the grain forgot it).</summary>
    public void RenewAll()
    {
        foreach (var subscriptions in _live.Keys) subscriptions.RenewNow();
    }

    public void Remove(IRenewable subscriptions) => _live.TryRemove(subscriptions, out _);
}

/// <summary>Something held in grains that must be renewed at once when a silo dies.</summary>
public interface IRenewable
{
    /// <summary>Renew now; must not block (start the work and return).</summary>
    void RenewNow();
}
