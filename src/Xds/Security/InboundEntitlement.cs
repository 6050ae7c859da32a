using Mesh.Xds.Cache;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Security;

/// <summary>Who may receive a workload's inbound listener (its policy): only the proxy that speaks for that workload,
/// in its namespace, under the workload's own service account. A node id is only what the proxy says, so naming
/// another pod of the namespace is not enough: that pod's WorkloadEntry must carry the proxy's service account.</summary>
public sealed class InboundEntitlement(InboundPolicySource workloads)
{
    /// <param name="ownWorkload">The workload the proxy speaks for: the one it registered, else the pod in its node id.</param>
    public async Task<bool> Allows(SpiffeId identity, string ownWorkload, string @namespace, string workload)
    {
        if (@namespace != identity.Namespace || workload.Length == 0 || workload != ownWorkload) return false;
        // No entry yet: the listener carries only the namespace's and the mesh's policies, which apply to this proxy too.
        var facts = await workloads.Workload(@namespace, workload);
        return facts is null || facts.ServiceAccount == identity.ServiceAccount;
    }
}
