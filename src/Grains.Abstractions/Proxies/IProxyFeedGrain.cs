using Mesh.Grains.Subscriptions;
using Orleans.Concurrency;

namespace Mesh.Grains.Proxies;

/// <summary>The change feed of one bucket of proxies (keyed by <see cref="ProxyDirectory.FeedKey"/>): each proxy
/// grain publishes its node id when what its proxy was sent, ACKed or NACKed changes, or when it disconnects, so
/// that a reader of the fleet (the Kubernetes status writer) re-reads only that proxy, at once, instead of polling
/// every proxy. Subscriptions live in memory, as the namespace feeds' do.</summary>
[Alias("mesh.IProxyFeedGrain")]
public interface IProxyFeedGrain : ISubscribable<IProxyChangeObserver>
{
    /// <summary>One-way: the proxy grain's report never waits on its feed (a lost signal is caught by the reader's
    /// safety poll, a forgotten subscription by its epoch).</summary>
    [OneWay, Alias("Publish")] Task Publish(string nodeId);
}

/// <summary>Told the node id of a proxy whose answers changed; implemented outside grains.</summary>
[Alias("mesh.IProxyChangeObserver")]
public interface IProxyChangeObserver : IGrainObserver
{
    [OneWay, Alias("OnProxyChanged")] Task OnProxyChanged(string nodeId);
}
