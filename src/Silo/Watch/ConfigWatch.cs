using System.Threading.Channels;
using Mesh.Config.Kinds;
using Mesh.Grains.Changes;
using Mesh.Grains.Config;
using Mesh.Grains.Subscriptions;
using Mesh.Silo.Api;
using Microsoft.Extensions.Logging;

namespace Mesh.Silo.Watch;

/// <summary>One watcher of config changes: subscribes to the change feeds of the namespaces it covers (and of
/// those that appear, when it covers them all), and re-reads a namespace whenever its feed forgot the subscription,
/// so that no change is missed when the silo holding a feed dies. Events reach the reader in resourceVersion order
/// per resource, each at most once.</summary>
public sealed partial class ConfigWatch : IConfigChangeObserver, IAsyncDisposable
{
    private readonly ConfigCatalog _catalog;
    private readonly string? _kind;
    private readonly string? _namespace;
    private readonly ILogger _logger;
    private readonly Channel<ConfigChange> _events;
    private readonly Dictionary<string, (long Version, StoredConfig Config, bool Deleted)> _seen = [];
    private readonly ObserverSubscriptions<INamespaceFeedGrain, IConfigChangeObserver> _subscriptions;

    public ConfigWatch(SubscriptionRegistry subscriptions, ConfigCatalog catalog, string? kind, string? @namespace, TimeSpan renewEvery, int queueCapacity, ILogger logger)
    {
        _catalog = catalog;
        _kind = kind;
        _namespace = @namespace;
        _logger = logger;
        _events = Channel.CreateBounded<ConfigChange>(new BoundedChannelOptions(queueCapacity) { SingleReader = true });
        _subscriptions = subscriptions.Add<INamespaceFeedGrain, IConfigChangeObserver>(this, new Renewal(renewEvery, Resync));
    }

    /// <summary>Changes after <see cref="Start"/>. Completes with an error when the reader falls too far behind.</summary>
    public ChannelReader<ConfigChange> Events => _events.Reader;

    /// <summary>Subscribes, then reads the current state (returned, and remembered so later events are deduplicated).</summary>
    public async Task<IReadOnlyList<StoredConfig>> Start(CancellationToken cancellationToken)
    {
        var initial = new List<StoredConfig>();
        foreach (var ns in await Namespaces())
        {
            cancellationToken.ThrowIfCancellationRequested();
            initial.AddRange(await _subscriptions.Open(ns, () => Remember(ns)));
        }
        if (_namespace is null) _subscriptions.Follow(Namespaces);
        return initial;
    }

    /// <summary>The namespace's current state, remembered as seen unless an event already brought newer.</summary>
    private async Task<IReadOnlyList<StoredConfig>> Remember(string ns)
    {
        var current = await Current(ns);
        lock (_seen)
        {
            foreach (var config in current)
            {
                if (_seen.TryGetValue(config.Key, out var seen) && seen.Version >= config.ResourceVersion) continue;
                _seen[config.Key] = (config.ResourceVersion, config, false);
            }
        }
        return current;
    }

    public Task OnChanged(ConfigChange change)
    {
        if (_kind is null || change.Kind == _kind)
        {
            Offer(change);
        }
        return Task.CompletedTask;
    }

    private void Offer(ConfigChange change)
    {
        lock (_seen)
        {
            var key = change.Config.Key;
            if (_seen.TryGetValue(key, out var seen) && seen.Version >= change.ResourceVersion) return;
            _seen[key] = (change.ResourceVersion, change.Config, change.Type == ChangeType.Deleted);
            if (!_events.Writer.TryWrite(change))
            {
                LogOverflow(_logger, _namespace ?? "*");
                _events.Writer.TryComplete(new InvalidOperationException("the watch fell too far behind; watch again to resync"));
            }
        }
    }

    /// <summary>Re-reads a namespace and turns every difference from what was seen into an event.</summary>
    private async Task Resync(string ns)
    {
        var current = await Current(ns);
        var present = current.Select(c => c.Key).ToHashSet();
        foreach (var config in current)
        {
            bool known;
            lock (_seen) known = _seen.TryGetValue(config.Key, out var seen) && !seen.Deleted;
            Offer(new ConfigChange(known ? ChangeType.Modified : ChangeType.Added, config.Kind, config.Namespace, config.Name, config.ResourceVersion, config));
        }
        List<(long Version, StoredConfig Config)> gone;
        lock (_seen)
        {
            gone = [.. _seen.Values.Where(s => !s.Deleted && s.Config.Namespace == ns && !present.Contains(s.Config.Key)).Select(s => (s.Version, s.Config))];
        }
        foreach (var (version, config) in gone)
        {
            Offer(new ConfigChange(ChangeType.Deleted, config.Kind, config.Namespace, config.Name, version + 1, config));
        }
    }

    private async Task<IReadOnlyList<string>> Namespaces() =>
        _namespace is not null ? [_namespace] : await _catalog.Namespaces(_kind);

    private async Task<IReadOnlyList<StoredConfig>> Current(string ns)
    {
        var kinds = _kind is not null ? [_kind] : ResourceKinds.All.Select(k => k.Kind);
        var lists = await Task.WhenAll(kinds.Select(kind => _catalog.List(kind, ns)));
        return [.. lists.SelectMany(l => l)];
    }

    public ValueTask DisposeAsync() => _subscriptions.DisposeAsync();

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "A watch of namespace {Namespace} fell too far behind and was closed")]
    private static partial void LogOverflow(ILogger logger, string @namespace);
}
