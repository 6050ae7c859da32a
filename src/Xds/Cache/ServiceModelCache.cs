using System.Collections.Concurrent;
using Mesh.Grains.Services;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Cache;

/// <summary>This silo's copy of the service models its proxies need, one grain subscription per host whatever
/// the number of proxies. Changes are debounced (quiet period, with a ceiling) before <see cref="Changed"/>.
/// Subscriptions are renewed; a service grain that was reactivated elsewhere is re-read.</summary>
public sealed partial class ServiceModelCache : IServiceObserver, IDisposable
{
    private readonly IGrainFactory _grains;
    private readonly XdsOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lazy<IServiceObserver> _reference;
    private readonly Task _renewal;
    private readonly SemaphoreSlim _renewNow = new(0);

    public ServiceModelCache(IGrainFactory grains, IOptions<XdsOptions> options, ILogger<ServiceModelCache> logger)
    {
        _grains = grains;
        _options = options.Value;
        _logger = logger;
        _reference = new Lazy<IServiceObserver>(() => grains.CreateObjectReference<IServiceObserver>(this));
        _renewal = Task.Run(RenewLoop);
    }

    /// <summary>Raised, after debouncing, with a host's new model. Handlers must not block.</summary>
    public event Action<ServiceModel>? Changed;

    /// <summary>Renew every subscription now rather than at the next period: after a silo died, a service grain
    /// may live on elsewhere with no subscribers, and whatever changed there since must be read.</summary>
    public void RenewNow() => _renewNow.Release();

    public async Task<ServiceModel> Get(string host)
    {
        var entry = _entries.GetOrAdd(host, h => new Entry(h));
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
            entry.Pending = model;
            entry.LastChange = DateTimeOffset.UtcNow;
            if (entry.Flushing) return Task.CompletedTask;
            entry.Flushing = true;
            entry.FirstChange = entry.LastChange;
        }
        _ = Task.Run(() => Debounce(entry));
        return Task.CompletedTask;
    }

    private async Task<ServiceModel> Load(Entry entry)
    {
        var grain = _grains.GetGrain<IServiceGrain>(entry.Host);
        var subscription = await grain.Subscribe(_reference.Value);
        var model = await grain.GetModel();
        lock (entry)
        {
            entry.Epoch = subscription.Epoch;
            entry.Model ??= model;
        }
        return entry.Model!;
    }

    private async Task Debounce(Entry entry)
    {
        while (true)
        {
            DateTimeOffset due;
            lock (entry)
            {
                var quiet = entry.LastChange + _options.DebounceQuiet;
                var ceiling = entry.FirstChange + _options.DebounceMax;
                due = quiet < ceiling ? quiet : ceiling;
            }
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
                entry.Flushing = false;
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

    private async Task RenewLoop()
    {
        try
        {
            while (true)
            {
                await _renewNow.WaitAsync(_options.SubscriptionExpiry / 3, _stop.Token);
                foreach (var entry in _entries.Values.Where(e => e.Model is not null))
                {
                    try
                    {
                        var grain = _grains.GetGrain<IServiceGrain>(entry.Host);
                        var subscription = await grain.Subscribe(_reference.Value);
                        if (subscription.Epoch == entry.Epoch) continue;
                        // Reactivated elsewhere (its silo died): changes may have been missed.
                        entry.Epoch = subscription.Epoch;
                        await OnServiceChanged(await grain.GetModel());
                    }
                    catch (Exception exception) when (!_stop.IsCancellationRequested)
                    {
                        LogRenewFailed(_logger, entry.Host, exception);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _renewNow.Dispose();
        if (_reference.IsValueCreated) _grains.DeleteObjectReference<IServiceObserver>(_reference.Value);
        _stop.Dispose();
    }

    private sealed class Entry(string host)
    {
        public string Host { get; } = host;
        public ServiceModel? Model { get; set; }
        public Task<ServiceModel>? Loading { get; set; }
        public Guid Epoch { get; set; }
        public ServiceModel? Pending { get; set; }
        public bool Flushing { get; set; }
        public DateTimeOffset FirstChange { get; set; }
        public DateTimeOffset LastChange { get; set; }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Renewing the subscription to service {Host} failed; retrying")]
    private static partial void LogRenewFailed(ILogger logger, string host, Exception exception);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "Handling the change of service {Host} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string host, Exception exception);
}
