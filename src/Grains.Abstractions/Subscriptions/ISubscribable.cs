namespace Mesh.Grains.Subscriptions;

/// <summary>A grain that tells observers outside grains of its changes. It keeps them in memory only: a subscriber
/// renews before <see cref="Subscription.Expiry"/>, and re-reads the grain when the <see cref="Subscription.Epoch"/>
/// changes (see <see cref="ObserverSubscriptions{TGrain, TObserver}"/>).</summary>
[Alias("mesh.ISubscribable`1")]
public interface ISubscribable<TObserver> : IGrainWithStringKey where TObserver : IGrainObserver
{
    /// <summary>Subscribes, or renews the subscription of, <paramref name="observer"/>.</summary>
    [Alias("Subscribe")] Task<Subscription> Subscribe(TObserver observer);
    [Alias("Unsubscribe")] Task Unsubscribe(TObserver observer);
}
