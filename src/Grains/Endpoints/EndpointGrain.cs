using Mesh.Grains.Config;
using Orleans.Runtime;

namespace Mesh.Grains.Endpoints;

/// <summary>One workload instance, keyed <c>namespace/name</c>.</summary>
[Orleans.Placement.RandomPlacement]
public sealed class EndpointGrain(
    [PersistentState("endpoint", StorageNames.Mesh)] IPersistentState<EndpointState> state) : Grain, IEndpointGrain
{
    public Task Set(WorkloadInfo workload)
    {
        if (WorkloadEquality.Same(state.State.Workload, workload)) return Task.CompletedTask;
        state.State.Workload = workload;
        return state.WriteStateAsync();
    }

    public Task<WorkloadInfo?> Get() => Task.FromResult(state.State.Workload);

    public Task Remove() => state.State.Workload is null ? Task.CompletedTask : state.ClearStateAsync();
}

[GenerateSerializer, Alias("mesh.EndpointState")]
public sealed class EndpointState
{
    [Id(0)] public WorkloadInfo? Workload { get; set; }
}
