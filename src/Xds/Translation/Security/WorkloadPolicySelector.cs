using Mesh.Config.Views.Security;
using Mesh.Grains.Services;

namespace Mesh.Xds.Translation.Security;

/// <summary>Which AuthorizationPolicies, RequestAuthentications and PeerAuthentications apply to one sidecar
/// workload, as Istio selects them.</summary>
internal static class WorkloadPolicySelector
{
    /// <summary>The policies of the security kinds that apply by <see cref="WorkloadPolicyScope.Applies"/>; other kinds
    /// are left out. The result is ordered by key, whatever the input order.</summary>
    public static IReadOnlyList<ConfigSpec> Select(
        IEnumerable<ConfigSpec> all, string workloadNamespace, IReadOnlyDictionary<string, string> workloadLabels, string rootNamespace)
        => all
            .Select(c => (Spec: c, Kind: SecurityPolicy.KindOf(c), Selection: SecurityPolicy.SelectionOf(c)))
            .Where(p => p.Selection is not null)
            .DistinctBy(p => p.Spec.Key)
            .Where(p => WorkloadPolicyScope.Applies(p.Kind, p.Spec.Namespace, p.Selection!, workloadNamespace, workloadLabels, rootNamespace))
            .Select(p => p.Spec)
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .ToList();
}
