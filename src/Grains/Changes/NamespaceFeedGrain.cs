using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace Mesh.Grains.Changes;

/// <summary>The change feed of one namespace: fans each change out to the observers subscribed to it.</summary>
public sealed class NamespaceFeedGrain : Grain, INamespaceFeedGrain
{
    private readonly Guid _epoch = Guid.NewGuid();
    private readonly ObserverManager<IConfigChangeObserver> _observers;
    private readonly TimeSpan _expiry;

    public NamespaceFeedGrain(IOptions<ChangeFeedOptions> options, ILogger<NamespaceFeedGrain> logger)
    {
        _expiry = options.Value.SubscriptionExpiry;
        _observers = new ObserverManager<IConfigChangeObserver>(_expiry, logger);
    }

    public Task<FeedSubscription> Subscribe(IConfigChangeObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.FromResult(new FeedSubscription(_epoch, _expiry));
    }

    public Task Unsubscribe(IConfigChangeObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task Publish(ConfigChange change) => _observers.Notify(observer => observer.OnChanged(change));
}
