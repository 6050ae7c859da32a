namespace Mesh.Grains.Changes;

/// <summary>The change feed of one namespace. Subscriptions live in memory: subscribers renew them
/// periodically, and a changed <see cref="FeedSubscription.Epoch"/> tells them the feed was reactivated
/// (its silo died, say) and they should re-read the namespace to catch up on what they may have missed.</summary>
[Alias("mesh.INamespaceFeedGrain")]
public interface INamespaceFeedGrain : IGrainWithStringKey
{
    [Alias("Subscribe")] Task<FeedSubscription> Subscribe(IConfigChangeObserver observer);
    [Alias("Unsubscribe")] Task Unsubscribe(IConfigChangeObserver observer);
    [Alias("Publish")] Task Publish(ConfigChange change);
}

/// <summary>A live subscription: the feed activation's identity and how long it lasts without renewal.</summary>
[GenerateSerializer, Immutable, Alias("mesh.FeedSubscription")]
public sealed record FeedSubscription([property: Id(0)] Guid Epoch, [property: Id(1)] TimeSpan Expiry);
