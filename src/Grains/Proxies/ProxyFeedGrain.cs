using Mesh.Grains.Changes;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Grains.Proxies;

/// <summary>The change feed of one bucket of proxies: fans a changed node id out to the observers subscribed to it.</summary>
public sealed class ProxyFeedGrain : Grain, IProxyFeedGrain
{
    private readonly Subscribers<IProxyChangeObserver> _observers;

    public ProxyFeedGrain(IOptions<ChangeFeedOptions> options, ILogger<ProxyFeedGrain> logger)
        => _observers = new Subscribers<IProxyChangeObserver>(options.Value.SubscriptionExpiry, logger);

    public Task<Subscription> Subscribe(IProxyChangeObserver observer) => _observers.Subscribe(observer);

    public Task Unsubscribe(IProxyChangeObserver observer) => _observers.Unsubscribe(observer);

    public Task Publish(string nodeId) => _observers.Count == 0 ? Task.CompletedTask : _observers.Notify(observer => observer.OnProxyChanged(nodeId));
}
