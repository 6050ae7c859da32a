using Mesh.Grains.Subscriptions;

namespace Mesh.Grains.Changes;

/// <summary>The change feed of one namespace. Subscriptions live in memory: subscribers renew them
/// periodically, and a changed <see cref="Subscription.Epoch"/> tells them the feed was reactivated
/// (its silo died, say) and they should re-read the namespace to catch up on what they may have missed.</summary>
[Alias("mesh.INamespaceFeedGrain")]
public interface INamespaceFeedGrain : ISubscribable<IConfigChangeObserver>
{
    [Alias("Publish")] Task Publish(ConfigChange change);
}

