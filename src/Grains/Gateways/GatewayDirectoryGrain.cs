using Mesh.Grains.Changes;
using Mesh.Grains.Config;
using Mesh.Grains.Storage;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Mesh.Grains.Gateways;

/// <summary>The gateway resources and what they select (see <see cref="IGatewayDirectoryGrain"/>).</summary>
public sealed class GatewayDirectoryGrain : Grain, IGatewayDirectoryGrain
{
    private readonly IPersistentState<GatewayDirectoryState> _state;
    private readonly Subscribers<IGatewayDirectoryObserver> _observers;

    public GatewayDirectoryGrain(
        [PersistentState("gatewayDirectory", StorageNames.Mesh)] IPersistentState<GatewayDirectoryState> state,
        IOptions<ChangeFeedOptions> options,
        ILogger<GatewayDirectoryGrain> logger)
    {
        _state = state;
        _observers = new Subscribers<IGatewayDirectoryObserver>(options.Value.SubscriptionExpiry, logger);
    }

    private Dictionary<string, GatewaySelection> Selections => _state.State.Selections;

    public Task Set(GatewaySelection selection)
    {
        if (Selections.TryGetValue(selection.GatewayKey, out var known) && known.SameAs(selection)) return Task.CompletedTask;
        Selections[selection.GatewayKey] = selection;
        return Save();
    }

    public Task Remove(string gatewayKey) => Selections.Remove(gatewayKey) ? Save() : Task.CompletedTask;

    public Task<List<GatewaySelection>> GetAll() => Task.FromResult(All());

    public Task<Subscription> Subscribe(IGatewayDirectoryObserver observer) => _observers.Subscribe(observer);

    public Task Unsubscribe(IGatewayDirectoryObserver observer) => _observers.Unsubscribe(observer);

    private List<GatewaySelection> All() => [.. Selections.Values.OrderBy(s => s.GatewayKey, StringComparer.Ordinal)];

    private async Task Save()
    {
        await _state.WriteOrReread(s => s.WriteStateAsync(), DeactivateOnIdle);
        if (_observers.Count > 0)
        {
            var all = All();
            await _observers.Notify(observer => observer.OnDirectoryChanged(all));
        }
    }
}

/// <summary>What the gateway directory persists: each gateway's selection by gateway key.</summary>
[GenerateSerializer, Alias("mesh.GatewayDirectoryState")]
public sealed class GatewayDirectoryState
{
    [Id(0)] public Dictionary<string, GatewaySelection> Selections { get; set; } = [];
}
