using System.Threading.Channels;
using Mesh.Config.Kinds;
using Mesh.Grains.Changes;
using Mesh.Grains.Config;
using Mesh.Silo.Api;
using Microsoft.Extensions.Logging;

namespace Mesh.Silo.Watch;

/// <summary>One watcher of config changes: subscribes to the change feeds of the namespaces it covers, renews
/// the subscriptions, and re-reads a namespace whenever its feed was reactivated (or newly appeared), so that
/// no change is missed when the silo holding a feed dies. Events reach the reader in resourceVersion order per
/// resource, each at most once.</summary>
public sealed partial class ConfigWatch : IConfigChangeObserver, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly ConfigCatalog _catalog;
    private readonly string? _kind;
    private readonly string? _namespace;
    private readonly TimeSpan _renewEvery;
    private readonly ILogger _logger;
    private readonly Channel<ConfigChange> _events;
    private readonly Dictionary<string, (long Version, StoredConfig Config, bool Deleted)> _seen = [];
    private readonly Dictionary<string, Guid> _epochs = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _renewNow = new(0);
    private IConfigChangeObserver? _reference;
    private Task? _renewal;

    public ConfigWatch(IGrainFactory grains, ConfigCatalog catalog, string? kind, string? @namespace, TimeSpan renewEvery, int queueCapacity, ILogger logger)
    {
        _grains = grains;
        _catalog = catalog;
        _kind = kind;
        _namespace = @namespace;
        _renewEvery = renewEvery;
        _logger = logger;
        _events = Channel.CreateBounded<ConfigChange>(new BoundedChannelOptions(queueCapacity) { SingleReader = true });
    }

    /// <summary>Changes after <see cref="Start"/>. Completes with an error when the reader falls too far behind.</summary>
    public ChannelReader<ConfigChange> Events => _events.Reader;

    /// <summary>Subscribes, then reads the current state (returned, and remembered so later events are deduplicated).</summary>
    public async Task<IReadOnlyList<StoredConfig>> Start(CancellationToken cancellationToken)
    {
        _reference = _grains.CreateObjectReference<IConfigChangeObserver>(this);
        var initial = new List<StoredConfig>();
        foreach (var ns in await Namespaces())
        {
            _epochs[ns] = (await Feed(ns).Subscribe(_reference)).Epoch;
            initial.AddRange(await Current(ns));
        }
        lock (_seen)
        {
            foreach (var config in initial)
            {
                _seen[config.Key] = (config.ResourceVersion, config, false);
            }
        }
        _renewal = Task.Run(() => RenewLoop(_stop.Token), CancellationToken.None);
        return initial;
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

    /// <summary>Renew now rather than at the next period: a silo died, and feeds it held come back without
    /// this watch's subscription.</summary>
    public void RenewNow() => _renewNow.Release();

    private async Task RenewLoop(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await _renewNow.WaitAsync(_renewEvery, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await Renew();
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogRenewFailed(_logger, exception);
            }
        }
    }

    private async Task Renew()
    {
        foreach (var ns in await Namespaces())
        {
            var subscription = await Feed(ns).Subscribe(_reference!);
            if (_epochs.TryGetValue(ns, out var epoch) && epoch == subscription.Epoch) continue;
            _epochs[ns] = subscription.Epoch;
            await Resync(ns);
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

    private INamespaceFeedGrain Feed(string ns) => _grains.GetGrain<INamespaceFeedGrain>(ns);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_renewal is not null)
        {
            try { await _renewal; } catch (OperationCanceledException) { }
        }
        if (_reference is not null)
        {
            foreach (var ns in _epochs.Keys)
            {
                try { await Feed(ns).Unsubscribe(_reference); } catch (Exception) { /* expires on its own */ }
            }
            _grains.DeleteObjectReference<IConfigChangeObserver>(_reference);
        }
        _stop.Dispose();
        _renewNow.Dispose();
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "A watch of namespace {Namespace} fell too far behind and was closed")]
    private static partial void LogOverflow(ILogger logger, string @namespace);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Renewing change-feed subscriptions failed; retrying")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);
}
