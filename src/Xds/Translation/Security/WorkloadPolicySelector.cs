using Mesh.Config.Kinds;
using Mesh.Config.Views.Security;
using Mesh.Grains.Services;

namespace Mesh.Xds.Translation.Security;

/// <summary>Which AuthorizationPolicies, RequestAuthentications and PeerAuthentications apply to one sidecar
/// workload, as Istio selects them.</summary>
internal static class WorkloadPolicySelector
{
    /// <summary>A policy in the root namespace without a selector applies to the whole mesh; a policy in the workload's
    /// namespace applies when it has no selector or all of its matchLabels are among the workload's labels. Other kinds
    /// are left out. The result is ordered by key, whatever the input order.</summary>
    public static IReadOnlyList<ConfigSpec> Select(
        IEnumerable<ConfigSpec> all, string workloadNamespace, IReadOnlyDictionary<string, string> workloadLabels, string rootNamespace)
        => all
            .Select(c => (Spec: c, Kind: SecurityPolicy.KindOf(c), Selection: SecurityPolicy.SelectionOf(c)))
            .Where(p => p.Selection is not null)
            .DistinctBy(p => p.Spec.Key)
            .Where(p => Applies(p.Kind, p.Spec.Namespace, p.Selection!, workloadNamespace, workloadLabels, rootNamespace))
            .Select(p => p.Spec)
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .ToList();

    private static bool Applies(string kind, string policyNamespace, WorkloadSelection selection, string workloadNamespace,
        IReadOnlyDictionary<string, string> labels, string rootNamespace)
    {
        // targetRef(s) attach a policy to a Gateway or waypoint; Istio does not apply such policies to sidecars.
        if (selection.ByTargetRef) return false;
        if (policyNamespace == rootNamespace && !selection.HasSelector) return true;
        if (policyNamespace == rootNamespace && policyNamespace != workloadNamespace)
        {
            // A root-namespace AuthorizationPolicy or RequestAuthentication with a selector applies to the workloads it
            // selects in every namespace; Istio ignores a PeerAuthentication with a selector there.
            return kind != KindNames.PeerAuthentication && selection.Selects(labels);
        }
        if (policyNamespace != workloadNamespace) return false;
        if (kind == KindNames.PeerAuthentication && policyNamespace == rootNamespace && selection.HasSelector) return false;
        return selection.Selects(labels);
    }
}
