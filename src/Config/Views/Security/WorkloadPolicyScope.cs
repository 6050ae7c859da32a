using Mesh.Config.Kinds;

namespace Mesh.Config.Views.Security;

/// <summary>Whether a workload policy (AuthorizationPolicy, RequestAuthentication, PeerAuthentication)
/// applies to one workload, as Istio decides: the one rule by which translation picks a workload's policies and the
/// status writer counts the proxies a policy reaches.</summary>
public static class WorkloadPolicyScope
{
    /// <summary>Istio's default mesh config root namespace, where a policy without selector applies to the whole mesh.</summary>
    public const string DefaultRootNamespace = "istio-system";

    /// <summary>A policy in the root namespace without a selector applies to the whole mesh; a policy in the workload's
    /// namespace applies when it has no selector or all of its labels are among the workload's. A root-namespace
    /// AuthorizationPolicy or RequestAuthentication with a selector applies to the workloads it selects in every
    /// namespace; Istio ignores a PeerAuthentication with a selector there. (Not for Sidecars: a workload gets one
    /// Sidecar, its namespace's before the root namespace's, which this rule does not express.) A policy attached by targetRef(s) (a Gateway or waypoint) applies to no sidecar.</summary>
    public static bool Applies(string kind, string policyNamespace, WorkloadSelection selection, string workloadNamespace,
        IReadOnlyDictionary<string, string> workloadLabels, string rootNamespace)
    {
        if (selection.ByTargetRef) return false;
        if (policyNamespace == rootNamespace && !selection.HasSelector) return true;
        if (policyNamespace == rootNamespace && policyNamespace != workloadNamespace)
        {
            return kind != KindNames.PeerAuthentication && selection.Selects(workloadLabels);
        }
        if (policyNamespace != workloadNamespace) return false;
        if (kind == KindNames.PeerAuthentication && policyNamespace == rootNamespace && selection.HasSelector) return false;
        return selection.Selects(workloadLabels);
    }
}
