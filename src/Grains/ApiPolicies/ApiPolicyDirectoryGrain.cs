using Mesh.Grains.Changes;
using Mesh.Grains.Config;
using Mesh.Grains.Services;
using Mesh.Grains.Storage;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Mesh.Grains.ApiPolicies;

/// <summary>The ApiPolicies, fed by <see cref="ConfigDependents"/> (see <see cref="IApiPolicyDirectoryGrain"/>).</summary>
public sealed class ApiPolicyDirectoryGrain : Grain, IApiPolicyDirectoryGrain
{
    private readonly IPersistentState<ApiPolicyDirectoryState> _state;
    private readonly Subscribers<IApiPolicyDirectoryObserver> _observers;

    public ApiPolicyDirectoryGrain(
        [PersistentState("apiPolicyDirectory", StorageNames.Mesh)] IPersistentState<ApiPolicyDirectoryState> state,
        IOptions<ChangeFeedOptions> options,
        ILogger<ApiPolicyDirectoryGrain> logger)
    {
        _state = state;
        _observers = new Subscribers<IApiPolicyDirectoryObserver>(options.Value.SubscriptionExpiry, logger);
    }

    private Dictionary<string, ConfigSpec> Policies => _state.State.Policies;

    public Task Set(ConfigSpec policy)
    {
        if (Policies.TryGetValue(policy.Key, out var known) && known == policy) return Task.CompletedTask;
        Policies[policy.Key] = policy;
        return Save();
    }

    public Task Remove(string policyKey) => Policies.Remove(policyKey) ? Save() : Task.CompletedTask;

    public Task<List<ConfigSpec>> GetAll() => Task.FromResult(All());

    public Task<Subscription> Subscribe(IApiPolicyDirectoryObserver observer) => _observers.Subscribe(observer);

    public Task Unsubscribe(IApiPolicyDirectoryObserver observer) => _observers.Unsubscribe(observer);

    private List<ConfigSpec> All() => [.. Policies.Values.OrderBy(p => p.Key, StringComparer.Ordinal)];

    private async Task Save()
    {
        await _state.WriteOrReread(s => s.WriteStateAsync(), DeactivateOnIdle);
        if (_observers.Count > 0)
        {
            var all = All();
            await _observers.Notify(observer => observer.OnApiPoliciesChanged(all));
        }
    }
}

/// <summary>What the ApiPolicy directory persists: each policy's spec by key.</summary>
[GenerateSerializer, Alias("mesh.ApiPolicyDirectoryState")]
public sealed class ApiPolicyDirectoryState
{
    [Id(0)] public Dictionary<string, ConfigSpec> Policies { get; set; } = [];
}
