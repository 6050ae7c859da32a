using System.Collections.Concurrent;
using Mesh.Grains.Gateways;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Cache;

/// <summary>This silo's copy of the gateway directory and of the gateway grains its gateway proxies need, one grain
/// subscription each whatever the number of proxies; a grain that forgot the subscription is re-read.</summary>
public sealed partial class GatewaySource : IGatewayObserver, IGatewayDirectoryObserver, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly ILogger _logger;
    private readonly ObserverSubscriptions<IGatewayGrain, IGatewayObserver> _gateways;
    private readonly ObserverSubscriptions<IGatewayDirectoryGrain, IGatewayDirectoryObserver> _directory;
    private readonly ConcurrentDictionary<string, Lazy<Task<GatewayModel>>> _models = new(StringComparer.Ordinal);
    private Task<List<GatewaySelection>>? _selections;

    public GatewaySource(IGrainFactory grains, SubscriptionRegistry subscriptions, IOptions<XdsOptions> options, ILogger<GatewaySource> logger)
    {
        _grains = grains;
        _logger = logger;
        var every = options.Value.SubscriptionExpiry / 3;
        _gateways = subscriptions.Add<IGatewayGrain, IGatewayObserver>(this, new Renewal(every, ResyncGateway));
        _directory = subscriptions.Add<IGatewayDirectoryGrain, IGatewayDirectoryObserver>(this, new Renewal(every, _ => ResyncDirectory()));
    }

    /// <summary>Raised when a gateway, its routes or the directory changed. Handlers must not block.</summary>
    public event Action? Changed;

    /// <summary>Every gateway resource and the workloads it selects.</summary>
    public async Task<IReadOnlyList<GatewaySelection>> Selections()
    {
        var loading = _selections ??= _directory.Open(IGatewayDirectoryGrain.Key, Directory().GetAll);
        try
        {
            return await loading;
        }
        catch
        {
            _ = Interlocked.CompareExchange(ref _selections, null, loading);
            throw;
        }
    }

    public async Task<GatewayModel> Model(string gatewayKey)
    {
        var entry = _models.GetOrAdd(gatewayKey, key => new(() => _gateways.Open(key, _grains.GetGrain<IGatewayGrain>(key).GetModel)));
        try
        {
            return await entry.Value;
        }
        catch
        {
            _models.TryRemove(new(gatewayKey, entry));
            throw;
        }
    }

    public Task OnGatewayChanged(GatewayModel model)
    {
        if (!_models.ContainsKey(model.Key)) return Task.CompletedTask;
        _models[model.Key] = new(Task.FromResult(model));
        Raise();
        return Task.CompletedTask;
    }

    public Task OnDirectoryChanged(List<GatewaySelection> selections)
    {
        _selections = Task.FromResult(selections);
        Raise();
        return Task.CompletedTask;
    }

    private async Task ResyncGateway(string key) => await OnGatewayChanged(await _grains.GetGrain<IGatewayGrain>(key).GetModel());

    private async Task ResyncDirectory() => await OnDirectoryChanged(await Directory().GetAll());

    private IGatewayDirectoryGrain Directory() => _grains.GetGrain<IGatewayDirectoryGrain>(IGatewayDirectoryGrain.Key);

    private void Raise()
    {
        try
        {
            Changed?.Invoke();
        }
        catch (Exception exception)
        {
            LogHandlerFailed(_logger, exception);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gateways.DisposeAsync();
        await _directory.DisposeAsync();
    }

    [LoggerMessage(EventId = 5420, Level = LogLevel.Error, Message = "Handling a gateway change failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception);
}
