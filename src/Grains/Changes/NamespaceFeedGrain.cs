using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Grains.Changes;

/// <summary>The change feed of one namespace: fans each change out to the observers subscribed to it.</summary>
public sealed class NamespaceFeedGrain : Grain, INamespaceFeedGrain
{
    private readonly Subscribers<IConfigChangeObserver> _observers;

    public NamespaceFeedGrain(IOptions<ChangeFeedOptions> options, ILogger<NamespaceFeedGrain> logger)
        => _observers = new Subscribers<IConfigChangeObserver>(options.Value.SubscriptionExpiry, logger);

    public Task<Subscription> Subscribe(IConfigChangeObserver observer) => _observers.Subscribe(observer);

    public Task Unsubscribe(IConfigChangeObserver observer) => _observers.Unsubscribe(observer);

    public Task Publish(ConfigChange change) => _observers.Notify(observer => observer.OnChanged(change));
}
