using System.Collections.Concurrent;
using Mesh.Grains.Services;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Cache;

/// <summary>This silo's copy of the service models its proxies need, one grain subscription per host whatever
/// the number of proxies. A lone change is raised at once; a burst is batched (<see cref="ChangeDebounce"/>).
/// A service grain that forgot the subscription (reactivated elsewhere) is re-read.</summary>
public sealed partial class ServiceModelCache : IServiceObserver, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly XdsOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ObserverSubscriptions<IServiceGrain, IServiceObserver> _subscriptions;

    public ServiceModelCache(IGrainFactory grains, SubscriptionRegistry subscriptions, IOptions<XdsOptions> options, ILogger<ServiceModelCache> logger)
    {
        _grains = grains;
        _options = options.Value;
        _logger = logger;
        _subscriptions = subscriptions.Add<IServiceGrain, IServiceObserver>(this, new Renewal(_options.SubscriptionExpiry / 3, Resync));
    }

    /// <summary>Raised with a host's new model (a burst's changes together). Handlers must not block.</summary>
    public event Action<ServiceModel>? Changed;

    public async Task<ServiceModel> Get(string host)
    {
        var entry = _entries.GetOrAdd(host, NewEntry);
        if (entry.Model is { } model) return model;
        Task<ServiceModel> loading;
        lock (entry)
        {
            loading = entry.Loading ??= Load(entry);
        }
        try
        {
            return await loading;
        }
        catch
        {
            lock (entry) entry.Loading = null;
            throw;
        }
    }

    public Task OnServiceChanged(ServiceModel model)
    {
        if (!_entries.TryGetValue(model.Host, out var entry)) return Task.CompletedTask;
        lock (entry)
        {
            var pending = entry.Pending is not null;
            entry.Debounce.Note(DateTimeOffset.UtcNow, pending);
            entry.Pending = model;
            if (pending) return Task.CompletedTask;
        }
        _ = Task.Run(() => Debounce(entry));
        return Task.CompletedTask;
    }

    private async Task<ServiceModel> Load(Entry entry)
    {
        var model = await _subscriptions.Open(entry.Host, () => _grains.GetGrain<IServiceGrain>(entry.Host).GetModel());
        lock (entry)
        {
            entry.Model ??= model;
        }
        return entry.Model!;
    }

    /// <summary>The grain forgot this silo: whatever changed meanwhile was missed.</summary>
    private async Task Resync(string host) => await OnServiceChanged(await _grains.GetGrain<IServiceGrain>(host).GetModel());

    private async Task Debounce(Entry entry)
    {
        while (true)
        {
            DateTimeOffset due;
            lock (entry) due = entry.Debounce.Due();
            var wait = due - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
                continue;
            }
            ServiceModel model;
            lock (entry)
            {
                model = entry.Pending!;
                entry.Model = model;
                entry.Pending = null;
            }
            try
            {
                Changed?.Invoke(model);
            }
            catch (Exception exception)
            {
                LogHandlerFailed(_logger, model.Host, exception);
            }
            return;
        }
    }

    public ValueTask DisposeAsync() => _subscriptions.DisposeAsync();

    private Entry NewEntry(string host) => new(host, new ChangeDebounce(_options.DebounceQuiet, _options.DebounceMax));

    private sealed class Entry(string host, ChangeDebounce debounce)
    {
        public string Host { get; } = host;
        public ServiceModel? Model { get; set; }
        public Task<ServiceModel>? Loading { get; set; }
        /// <summary>The newest model not raised yet; set while a push waits.</summary>
        public ServiceModel? Pending { get; set; }
        public ChangeDebounce Debounce { get; } = debounce;
    }

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Handling the change of service {Host} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string host, Exception exception);
}
