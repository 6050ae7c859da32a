namespace Mesh.Grains.Endpoints;

/// <summary>One workload instance, keyed <c>namespace/name</c>.</summary>
[Alias("mesh.IEndpointGrain")]
public interface IEndpointGrain : IGrainWithStringKey
{
    [Alias("Set")] Task Set(WorkloadInfo workload);
    [Alias("Get")] Task<WorkloadInfo?> Get();
    [Alias("Remove")] Task Remove();
}
