using Mesh.Config.Kinds;
using Mesh.Grains.Changes;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Options;

namespace Mesh.Silo.Kubernetes.Status;

/// <summary>Tells the status writer when the Gateway API grain stored a new status on a config grain: subscribed to the
/// change feed of each namespace that holds a Gateway API object the writer reports on (a status write is published
/// as any version is), so that a route's <c>ResolvedRefs</c> reaches kubectl when its Service appears, not at the
/// next safety poll. A feed that forgot the subscription wakes the writer too (what it published meanwhile was lost).</summary>
internal sealed class GatewayApiStatusFeed : IConfigChangeObserver, IAsyncDisposable
{
    private readonly ObserverSubscriptions<INamespaceFeedGrain, IConfigChangeObserver> _subscriptions;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _namespaces = new(StringComparer.Ordinal);
    private Action? _notify;

    public GatewayApiStatusFeed(SubscriptionRegistry subscriptions, IOptions<ChangeFeedOptions> feed) =>
        _subscriptions = subscriptions.Add<INamespaceFeedGrain, IConfigChangeObserver>(this, new Renewal(feed.Value.SubscriptionExpiry / 3, Resync));

    /// <summary>From now on, calls <paramref name="changed"/> (on any thread; must not block) after a Gateway API object
    /// of <paramref name="namespace"/> ("" for the cluster-scoped) changed; subscribes on the first call for it.</summary>
    public void Follow(string @namespace, Action changed)
    {
        _notify = changed;
        lock (_lock)
        {
            if (!_namespaces.Add(@namespace)) return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                // Nothing to read: the writer reads each object's status at its next round, which this wakes.
                await _subscriptions.Open(@namespace, () => Task.FromResult(0));
                changed();
            }
            catch (Exception)
            {
                // Held already: the renewal subscribes again and, finding no epoch, resyncs (a wake).
            }
        });
    }

    public Task OnChanged(ConfigChange change)
    {
        if (ResourceKinds.FromKindName(change.Kind) is { } kind && Mesh.Kubernetes.Status.GatewayApiObjectStatus.Describes(kind)) _notify?.Invoke();
        return Task.CompletedTask;
    }

    private Task Resync(string @namespace)
    {
        _notify?.Invoke();
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => _subscriptions.DisposeAsync();
}
