using Mesh.Grains.Storage;
using Mesh.Grains.Changes;
using Mesh.Grains.Config;
using Mesh.Grains.Endpoints;
using Mesh.Grains.Subscriptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Mesh.Grains.Services;

/// <summary>One service host: its entries, their selected workloads, the DestinationRules and VirtualServices
/// that name it; gives endpoints and the model xDS is translated from, and tells subscribed silos of changes.</summary>
[Orleans.Placement.RandomPlacement]
public sealed class ServiceGrain : Grain, IServiceGrain
{
    private readonly IPersistentState<ServiceState> _state;
    private readonly Subscribers<IServiceObserver> _observers;
    private DateTimeOffset _changedAt = DateTimeOffset.UtcNow;
    private string? _traceParent;

    public ServiceGrain(
        [PersistentState("service", StorageNames.Mesh)] IPersistentState<ServiceState> state,
        IOptions<ChangeFeedOptions> options,
        ILogger<ServiceGrain> logger)
    {
        _state = state;
        _observers = new Subscribers<IServiceObserver>(options.Value.SubscriptionExpiry, logger);
    }

    private ServiceState State => _state.State;

    public Task SetServiceEntry(ServiceEntryView entry, List<WorkloadInfo> selected)
    {
        State.Entries[entry.Key] = entry;
        State.Selected[entry.Key] = selected.ToDictionary(w => w.Key);
        return Save();
    }

    public Task RemoveServiceEntry(string serviceEntryKey)
    {
        var removed = State.Entries.Remove(serviceEntryKey) | State.Selected.Remove(serviceEntryKey);
        return removed ? Save() : Task.CompletedTask;
    }

    public Task SetWorkload(string serviceEntryKey, WorkloadInfo workload)
    {
        if (!State.Entries.ContainsKey(serviceEntryKey)) return Task.CompletedTask;
        if (!State.Selected.TryGetValue(serviceEntryKey, out var workloads))
        {
            workloads = [];
            State.Selected[serviceEntryKey] = workloads;
        }
        if (workloads.TryGetValue(workload.Key, out var existing) && WorkloadEquality.Same(existing, workload)) return Task.CompletedTask;
        workloads[workload.Key] = workload;
        return Save();
    }

    public Task RemoveWorkload(string serviceEntryKey, string workloadKey) =>
        State.Selected.TryGetValue(serviceEntryKey, out var workloads) && workloads.Remove(workloadKey) ? Save() : Task.CompletedTask;

    public Task RemoveSubsets(string destinationRuleKey) =>
        State.Subsets.Remove(destinationRuleKey) | State.DestinationRules.Remove(destinationRuleKey) ? Save() : Task.CompletedTask;

    public Task SetDestinationRule(ConfigSpec destinationRule, List<SubsetView> subsets)
    {
        State.Subsets[destinationRule.Key] = subsets;
        State.DestinationRules[destinationRule.Key] = destinationRule;
        return Save();
    }

    public Task SetVirtualService(ConfigSpec virtualService)
    {
        if (State.VirtualServices.TryGetValue(virtualService.Key, out var existing) && existing == virtualService) return Task.CompletedTask;
        State.VirtualServices[virtualService.Key] = virtualService;
        return Save();
    }

    public Task RemoveVirtualService(string virtualServiceKey) =>
        State.VirtualServices.Remove(virtualServiceKey) ? Save() : Task.CompletedTask;

    public Task<ServiceEndpoints> GetEndpoints() =>
        Task.FromResult(EndpointCalculator.Calculate(this.GetPrimaryKeyString(), State));

    public Task<ServiceReferences> GetReferences() => Task.FromResult(new ServiceReferences(
        [.. State.Entries.Keys.Order(StringComparer.Ordinal)],
        [.. State.Subsets.Keys.Union(State.DestinationRules.Keys).Order(StringComparer.Ordinal)]));

    public Task<ServiceModel> GetModel() => Task.FromResult(Model());

    private Task Reread() => _state.RereadOr(DeactivateOnIdle);

    public Task<Subscription> Subscribe(IServiceObserver observer) => _observers.Subscribe(observer);

    public Task Unsubscribe(IServiceObserver observer) => _observers.Unsubscribe(observer);

    private ServiceModel Model()
    {
        var key = this.GetPrimaryKeyString();
        var endpoints = EndpointCalculator.Calculate(key, State);
        return new ServiceModel(
            endpoints.Host,
            endpoints.Ports,
            [.. State.DestinationRules.Values.OrderBy(d => d.Key, StringComparer.Ordinal)],
            [.. State.VirtualServices.Values.OrderBy(v => v.Key, StringComparer.Ordinal)],
            endpoints.ServiceEntries,
            _changedAt)
        {
            TraceParent = _traceParent,
            Addresses = ServiceAddresses.Of(State.Entries.Values),
            AliasOf = ServiceAddresses.AliasOf(key, State.Entries.Values),
        };
    }

    private async Task Save()
    {
        _changedAt = DateTimeOffset.UtcNow;
        _traceParent = System.Diagnostics.Activity.Current?.Id;
        try
        {
            if (State.IsEmpty) await _state.ClearStateAsync();
            else await _state.WriteStateAsync();
        }
        catch (Exception)
        {
            // Memory must not run ahead of storage: a retried call that finds its change already in memory would
            // skip the write and the change would be lost with this activation. Re-read, or start afresh.
            await Reread();
            throw;
        }
        if (_observers.Count > 0)
        {
            var model = Model();
            await _observers.Notify(observer => observer.OnServiceChanged(model));
        }
    }
}
