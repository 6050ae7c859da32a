using Mesh.Grains.Changes;
using Mesh.Grains.Config;
using Mesh.Grains.Services;
using Mesh.Grains.Storage;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Mesh.Grains.Gateways;

/// <summary>One gateway resource and the routes bound to it, derived from config by <see cref="ConfigDependents"/>;
/// gives the model the gateway listeners are translated from and tells subscribed silos of changes.</summary>
[Orleans.Placement.RandomPlacement]
public sealed class GatewayGrain : Grain, IGatewayGrain
{
    private readonly IPersistentState<GatewayState> _state;
    private readonly Subscribers<IGatewayObserver> _observers;
    private DateTimeOffset _changedAt = DateTimeOffset.UtcNow;

    public GatewayGrain(
        [PersistentState("gateway", StorageNames.Mesh)] IPersistentState<GatewayState> state,
        IOptions<ChangeFeedOptions> options,
        ILogger<GatewayGrain> logger)
    {
        _state = state;
        _observers = new Subscribers<IGatewayObserver>(options.Value.SubscriptionExpiry, logger);
    }

    private GatewayState State => _state.State;

    public Task SetGateway(ConfigSpec gateway)
    {
        if (State.Gateway == gateway) return Task.CompletedTask;
        State.Gateway = gateway;
        return Save();
    }

    public Task RemoveGateway()
    {
        if (State.Gateway is null) return Task.CompletedTask;
        State.Gateway = null;
        return Save();
    }

    public Task SetRoute(ConfigSpec route)
    {
        if (State.Routes.TryGetValue(route.Key, out var existing) && existing == route) return Task.CompletedTask;
        State.Routes[route.Key] = route;
        return Save();
    }

    public Task RemoveRoute(string routeKey) => State.Routes.Remove(routeKey) ? Save() : Task.CompletedTask;

    public Task Bind(ConfigSpec? gateway, List<ConfigSpec> routes)
    {
        var same = State.Gateway == gateway && State.Routes.Count == routes.Count
            && routes.All(r => State.Routes.TryGetValue(r.Key, out var existing) && existing == r);
        if (same) return Task.CompletedTask;
        State.Gateway = gateway;
        State.Routes = routes.ToDictionary(r => r.Key, StringComparer.Ordinal);
        return Save();
    }

    public Task<GatewayModel> GetModel() => Task.FromResult(Model());

    public Task<Subscription> Subscribe(IGatewayObserver observer) => _observers.Subscribe(observer);

    public Task Unsubscribe(IGatewayObserver observer) => _observers.Unsubscribe(observer);

    private GatewayModel Model() => new(
        this.GetPrimaryKeyString(), State.Gateway, [.. State.Routes.Values.OrderBy(r => r.Key, StringComparer.Ordinal)], _changedAt);

    private async Task Save()
    {
        _changedAt = DateTimeOffset.UtcNow;
        await _state.WriteOrReread(s => State.IsEmpty ? s.ClearStateAsync() : s.WriteStateAsync(), DeactivateOnIdle);
        if (_observers.Count > 0)
        {
            var model = Model();
            await _observers.Notify(observer => observer.OnGatewayChanged(model));
        }
    }
}

/// <summary>What a gateway grain persists.</summary>
[GenerateSerializer, Alias("mesh.GatewayState")]
public sealed class GatewayState
{
    [Id(0)] public ConfigSpec? Gateway { get; set; }
    [Id(1)] public Dictionary<string, ConfigSpec> Routes { get; set; } = [];

    public bool IsEmpty => Gateway is null && Routes.Count == 0;
}
