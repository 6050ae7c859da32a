using Mesh.Grains.Config;
using Mesh.Grains.Endpoints;
using Orleans.Runtime;

namespace Mesh.Grains.Services;

/// <summary>One service host: its entries, their selected workloads and its subsets; gives endpoints.</summary>
[Orleans.Placement.RandomPlacement]
public sealed class ServiceGrain(
    [PersistentState("service", StorageNames.Mesh)] IPersistentState<ServiceState> state) : Grain, IServiceGrain
{
    public Task SetServiceEntry(ServiceEntryView entry, List<WorkloadInfo> selected)
    {
        state.State.Entries[entry.Key] = entry;
        state.State.Selected[entry.Key] = selected.ToDictionary(w => w.Key);
        return Save();
    }

    public Task RemoveServiceEntry(string serviceEntryKey)
    {
        var removed = state.State.Entries.Remove(serviceEntryKey) | state.State.Selected.Remove(serviceEntryKey);
        return removed ? Save() : Task.CompletedTask;
    }

    public Task SetWorkload(string serviceEntryKey, WorkloadInfo workload)
    {
        if (!state.State.Entries.ContainsKey(serviceEntryKey)) return Task.CompletedTask;
        if (!state.State.Selected.TryGetValue(serviceEntryKey, out var workloads))
        {
            workloads = [];
            state.State.Selected[serviceEntryKey] = workloads;
        }
        if (workloads.TryGetValue(workload.Key, out var existing) && WorkloadEquality.Same(existing, workload)) return Task.CompletedTask;
        workloads[workload.Key] = workload;
        return Save();
    }

    public Task RemoveWorkload(string serviceEntryKey, string workloadKey) =>
        state.State.Selected.TryGetValue(serviceEntryKey, out var workloads) && workloads.Remove(workloadKey) ? Save() : Task.CompletedTask;

    public Task SetSubsets(string destinationRuleKey, List<SubsetView> subsets)
    {
        state.State.Subsets[destinationRuleKey] = subsets;
        return Save();
    }

    public Task RemoveSubsets(string destinationRuleKey) =>
        state.State.Subsets.Remove(destinationRuleKey) ? Save() : Task.CompletedTask;

    public Task<ServiceEndpoints> GetEndpoints() =>
        Task.FromResult(EndpointCalculator.Calculate(this.GetPrimaryKeyString(), state.State));

    public Task<ServiceReferences> GetReferences() => Task.FromResult(new ServiceReferences(
        [.. state.State.Entries.Keys.Order(StringComparer.Ordinal)],
        [.. state.State.Subsets.Keys.Order(StringComparer.Ordinal)]));

    private Task Save() => state.State.IsEmpty ? state.ClearStateAsync() : state.WriteStateAsync();
}
