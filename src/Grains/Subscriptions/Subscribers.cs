using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace Mesh.Grains.Subscriptions;

/// <summary>What an <see cref="ISubscribable{TObserver}"/> grain keeps about its subscribers: in memory only, each
/// dropped when not renewed within the expiry, under an epoch drawn per activation so that a subscriber can tell
/// when it was forgotten.</summary>
public sealed class Subscribers<TObserver>(TimeSpan expiry, ILogger logger) where TObserver : IGrainObserver
{
    private readonly Guid _epoch = Guid.NewGuid();
    private readonly ObserverManager<TObserver> _observers = new(expiry, logger);

    public int Count => _observers.Count;

    public Task<Subscription> Subscribe(TObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.FromResult(new Subscription(_epoch, expiry));
    }

    public Task Unsubscribe(TObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task Notify(Func<TObserver, Task> notification) => _observers.Notify(notification);
}
