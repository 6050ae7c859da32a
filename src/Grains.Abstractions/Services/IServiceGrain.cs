using Mesh.Grains.Endpoints;
using Mesh.Grains.Subscriptions;

namespace Mesh.Grains.Services;

/// <summary>One service host (<c>reviews.bookinfo.svc.cluster.local</c>, <c>api.example.com</c>): the
/// ServiceEntries that declare it, the workloads their selectors match, the DestinationRule subsets for it;
/// gives endpoints per port and subset; tells subscribed silos of model changes (a new epoch: re-read the model).</summary>
[Alias("mesh.IServiceGrain")]
public interface IServiceGrain : ISubscribable<IServiceObserver>
{
    /// <param name="selected">The workloads the entry's selector matches now.</param>
    [Alias("SetServiceEntry")] Task SetServiceEntry(ServiceEntryView entry, List<WorkloadInfo> selected);
    [Alias("RemoveServiceEntry")] Task RemoveServiceEntry(string serviceEntryKey);
    /// <summary>A workload now matches (or still matches, with new details) the entry's selector.</summary>
    [Alias("SetWorkload")] Task SetWorkload(string serviceEntryKey, WorkloadInfo workload);
    [Alias("RemoveWorkload")] Task RemoveWorkload(string serviceEntryKey, string workloadKey);
    [Alias("RemoveSubsets")] Task RemoveSubsets(string destinationRuleKey);
    /// <summary>A DestinationRule targeting this host, with its whole spec (traffic policy, subsets).</summary>
    [Alias("SetDestinationRule")] Task SetDestinationRule(ConfigSpec destinationRule, List<SubsetView> subsets);
    /// <summary>A VirtualService listing this host.</summary>
    [Alias("SetVirtualService")] Task SetVirtualService(ConfigSpec virtualService);
    [Alias("RemoveVirtualService")] Task RemoveVirtualService(string virtualServiceKey);
    /// <summary>The model the xDS translation works from.</summary>
    [Alias("GetModel")] Task<ServiceModel> GetModel();
    [Alias("GetEndpoints")] Task<ServiceEndpoints> GetEndpoints();
    /// <summary>Keys of the ServiceEntries that declare this host and the DestinationRules that target it.</summary>
    [Alias("GetReferences")] Task<ServiceReferences> GetReferences();
}
