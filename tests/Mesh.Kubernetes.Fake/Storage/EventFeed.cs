using Mesh.Kubernetes.Fake.Errors;

namespace Mesh.Kubernetes.Fake.Storage;

/// <summary>The store's changes on their way to watchers: a bounded history (older resourceVersions expire with
/// 410), the open watches, and the test switches that hold, reorder, cut and forget. Called only under the store's
/// lock for anything that must stay in resourceVersion order.</summary>
public sealed class EventFeed(int historyLimit)
{
    private readonly object _gate = new();
    private readonly LinkedList<StoredEvent> _history = new();
    private readonly List<Watcher> _watchers = [];
    private int _historyLimit = historyLimit;
    private long _forgotten;
    private long _delivered;
    private List<StoredEvent>? _held;

    public int OpenWatches { get { lock (_gate) return _watchers.Count; } }

    /// <summary>Open watches on one resource, named as <see cref="Http.RequestCounts"/> names it (<c>services</c>,
    /// <c>virtualservices.networking.istio.io</c>): how many watchers a kind has right now.</summary>
    public int OpenWatchesOn(string resource)
    {
        lock (_gate) return _watchers.Count(w => w.Filter.Resource.ToString() == resource);
    }

    internal void Publish(StoredEvent change)
    {
        lock (_gate)
        {
            if (_held is not null) _held.Add(change);
            else Deliver(change);
        }
    }

    /// <summary>Registers a watch from <paramref name="from"/> (events after it are replayed from the history), or
    /// from now with <paramref name="initial"/> objects sent first as ADDED.</summary>
    internal Watcher Subscribe(WatchFilter filter, long? from, IEnumerable<System.Text.Json.Nodes.JsonObject> initial)
    {
        lock (_gate)
        {
            var watcher = new Watcher(filter);
            if (from is { } version)
            {
                if (version < _forgotten) throw ApiError.Expired(version, _history.First?.Value.ResourceVersion ?? _forgotten + 1);
                foreach (var change in _history.Where(e => e.ResourceVersion > version)) watcher.Offer(change);
            }
            else
            {
                foreach (var obj in initial.Where(filter.Matches)) watcher.OfferInitial(obj);
            }
            _watchers.Add(watcher);
            return watcher;
        }
    }

    internal void Unsubscribe(Watcher watcher)
    {
        lock (_gate) _watchers.Remove(watcher);
    }

    /// <summary>The resourceVersion a bookmark may promise to <paramref name="watcher"/>: every event up to it has
    /// been handed over. Null while the watcher still has events to send.</summary>
    internal long? BookmarkVersion(Watcher watcher)
    {
        lock (_gate) return watcher.IsIdle ? _delivered : null;
    }

    public void Hold()
    {
        lock (_gate) _held ??= [];
    }

    /// <summary>Delivers the held events, in the order <paramref name="order"/> puts them (all of them, once each),
    /// and stops holding.</summary>
    public void Release(Func<IReadOnlyList<StoredEvent>, IEnumerable<StoredEvent>>? order = null)
    {
        lock (_gate)
        {
            var held = _held ?? [];
            _held = null;
            var batch = (order?.Invoke(held) ?? held).ToList();
            if (batch.Count != held.Count || batch.Except(held).Any())
            {
                throw new ArgumentException("the order must contain every held event exactly once", nameof(order));
            }
            foreach (var change in batch) Deliver(change);
        }
    }

    /// <summary>Forgets all but the last <paramref name="keep"/> events: a watch from an older resourceVersion gets 410.</summary>
    public void Shrink(int keep)
    {
        lock (_gate)
        {
            _historyLimit = Math.Max(0, keep);
            Trim();
        }
    }

    /// <summary>Ends every open watch now, as a restarting API server or a load balancer does.</summary>
    public void CutAll()
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers) watcher.Cut();
            _watchers.Clear();
        }
    }

    private void Deliver(StoredEvent change)
    {
        _history.AddLast(change);
        _delivered = Math.Max(_delivered, change.ResourceVersion);
        Trim();
        foreach (var watcher in _watchers) watcher.Offer(change);
    }

    private void Trim()
    {
        while (_history.Count > _historyLimit)
        {
            _forgotten = Math.Max(_forgotten, _history.First!.Value.ResourceVersion);
            _history.RemoveFirst();
        }
        if (_history.Count == 0) _forgotten = Math.Max(_forgotten, _delivered);
    }
}
