using System.Collections.Concurrent;
using Mesh.Grains.Gateways;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mesh.Xds.Cache;

/// <summary>This silo's copy of the gateway directory (<see cref="DirectorySource{TGrain, TEntry}.All"/>: every
/// gateway resource and the workloads it selects) and of the gateway grains its gateway proxies need, one grain
/// subscription each whatever the number of proxies; a grain that forgot the subscription is re-read.</summary>
public sealed class GatewaySource : DirectorySource<IGatewayDirectoryGrain, GatewaySelection>, IGatewayObserver
{
    private readonly IGrainFactory _grains;
    private readonly ObserverSubscriptions<IGatewayGrain, IGatewayObserver> _gateways;
    private readonly ConcurrentDictionary<string, Lazy<Task<GatewayModel>>> _models = new(StringComparer.Ordinal);

    public GatewaySource(IGrainFactory grains, SubscriptionRegistry subscriptions, IOptions<XdsOptions> options, ILogger<GatewaySource> logger)
        : base(grains, IGatewayDirectoryGrain.Key, subscriptions, options.Value.SubscriptionExpiry / 3, logger)
    {
        _grains = grains;
        _gateways = subscriptions.Add<IGatewayGrain, IGatewayObserver>(this, new Renewal(options.Value.SubscriptionExpiry / 3, ResyncGateway));
    }

    /// <summary>A gateway grain's spec and routes, followed from its first read on: a change raises
    /// <see cref="DirectorySource{TGrain, TEntry}.Changed"/> as a directory change does.</summary>
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

    private async Task ResyncGateway(string key) => await OnGatewayChanged(await _grains.GetGrain<IGatewayGrain>(key).GetModel());

    public override async ValueTask DisposeAsync()
    {
        await _gateways.DisposeAsync();
        await base.DisposeAsync();
    }
}
