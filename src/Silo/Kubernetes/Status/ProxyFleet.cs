using Mesh.Grains.Changes;
using Mesh.Grains.Proxies;
using Mesh.Grains.Subscriptions;
using Mesh.Kubernetes.Status;
using Microsoft.Extensions.Options;

namespace Mesh.Silo.Kubernetes.Status;

/// <summary>The connected proxies as the status writer follows them: subscribed to the proxy feeds, so that a proxy
/// whose answers changed (an ACK, a NACK, a new response, a disconnection) is re-read alone and at once, while the
/// others are served from what was last read. A whole read (every directory bucket, every proxy grain) happens first,
/// when a feed forgot the subscription (its silo died: what it published meanwhile was lost), and when the writer's
/// safety poll asks for one.</summary>
internal sealed class ProxyFleet : IProxyChangeObserver, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly ObserverSubscriptions<IProxyFeedGrain, IProxyChangeObserver> _subscriptions;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _changed = new(StringComparer.Ordinal);
    private Dictionary<string, ProxySnapshot> _known = new(StringComparer.Ordinal);
    private bool _whole = true;
    private bool _following;
    private Action? _notify;

    public ProxyFleet(IGrainFactory grains, SubscriptionRegistry subscriptions, IOptions<ChangeFeedOptions> feed)
    {
        _grains = grains;
        _subscriptions = subscriptions.Add<IProxyFeedGrain, IProxyChangeObserver>(this, new Renewal(feed.Value.SubscriptionExpiry / 3, Resync));
    }

    /// <summary>Calls <paramref name="changed"/> (on any thread, must not block) whenever a proxy's answers changed or
    /// a feed was found to have lost some; subscribes to the feeds on first call.</summary>
    public void Follow(Action changed)
    {
        _notify = changed;
        lock (_lock)
        {
            if (_following) return;
            _following = true;
        }
        _ = Task.Run(Subscribe);
    }

    private async Task Subscribe()
    {
        foreach (var key in ProxyDirectory.FeedKeys)
        {
            try
            {
                // Nothing to read: the first read is whole anyway.
                await _subscriptions.Open(key, () => Task.FromResult(0));
            }
            catch (Exception)
            {
                // Held already: the renewal subscribes again, and finding no epoch, resyncs (a whole read).
            }
        }
    }

    public Task OnProxyChanged(string nodeId)
    {
        lock (_lock) _changed.Add(nodeId);
        _notify?.Invoke();
        return Task.CompletedTask;
    }

    private Task Resync(string feedKey)
    {
        lock (_lock) _whole = true;
        _notify?.Invoke();
        return Task.CompletedTask;
    }

    /// <summary>The connected proxies: all read again when <paramref name="whole"/> (or a resync asked for it), else
    /// only those the feeds named since the last read.</summary>
    public async Task<IReadOnlyList<ProxySnapshot>> Read(bool whole)
    {
        string[] changed;
        lock (_lock)
        {
            whole |= _whole;
            _whole = false;
            changed = [.. _changed];
            _changed.Clear();
        }
        try
        {
            if (whole) await ReadWhole();
            else await ReadChanged(changed);
        }
        catch
        {
            // Nothing was lost: what was to be read is read by the next round.
            lock (_lock)
            {
                if (whole) _whole = true;
                _changed.UnionWith(changed);
            }
            throw;
        }
        lock (_lock) return [.. _known.Values.OrderBy(p => p.NodeId, StringComparer.Ordinal)];
    }

    private async Task ReadWhole()
    {
        var buckets = await Task.WhenAll(Enumerable.Range(0, ProxyDirectory.Buckets).Select(b => _grains.GetGrain<IProxyDirectoryGrain>(b).NodeIds()));
        var statuses = await Task.WhenAll(buckets.SelectMany(ids => ids).Distinct(StringComparer.Ordinal).Select(id => _grains.GetGrain<IProxyGrain>(id).Get()));
        var known = statuses.OfType<ProxyStatus>().Where(s => s.Connected).Select(Snapshot).ToDictionary(p => p.NodeId, StringComparer.Ordinal);
        lock (_lock) _known = known;
    }

    private async Task ReadChanged(IReadOnlyCollection<string> nodeIds)
    {
        var statuses = await Task.WhenAll(nodeIds.Select(async id => (Id: id, Status: await _grains.GetGrain<IProxyGrain>(id).Get())));
        lock (_lock)
        {
            foreach (var (id, status) in statuses)
            {
                if (status is { Connected: true }) _known[id] = Snapshot(status);
                else _known.Remove(id);
            }
        }
    }

    internal static ProxySnapshot Snapshot(ProxyStatus status) => new(status.NodeId, [.. status.Types.Select(t => new ProxyTypeSnapshot(
        t.TypeUrl,
        t.SentResources.Keys,
        t.SentAt,
        Acked: t.SentNonce.Length > 0 && t.AckedNonce == t.SentNonce,
        NackError: t.SentNonce.Length > 0 && t.NackedNonce == t.SentNonce ? t.NackError : "",
        NackedAt: t.NackedAt))])
    {
        Namespace = status.Namespace,
        Labels = status.Labels,
    };

    public ValueTask DisposeAsync() => _subscriptions.DisposeAsync();
}
