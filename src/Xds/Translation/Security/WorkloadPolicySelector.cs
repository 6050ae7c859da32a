using System.Text.Json.Nodes;
using Mesh.Grains.Services;

namespace Mesh.Xds.Translation.Security;

/// <summary>Which AuthorizationPolicies, RequestAuthentications and PeerAuthentications apply to one sidecar
/// workload, as Istio selects them.</summary>
internal static class WorkloadPolicySelector
{
    private static readonly HashSet<string> SecurityKinds =
        [SecurityPolicy.AuthorizationPolicy, SecurityPolicy.RequestAuthentication, SecurityPolicy.PeerAuthentication];

    /// <summary>A policy in the root namespace without a selector applies to the whole mesh; a policy in the workload's
    /// namespace applies when it has no selector or all of its matchLabels are among the workload's labels. Other kinds
    /// are left out. The result is ordered by key, whatever the input order.</summary>
    public static IReadOnlyList<ConfigSpec> Select(
        IEnumerable<ConfigSpec> all, string workloadNamespace, IReadOnlyDictionary<string, string> workloadLabels, string rootNamespace)
        => all
            .Where(c => SecurityKinds.Contains(SecurityPolicy.KindOf(c)))
            .DistinctBy(c => c.Key)
            .Where(c => Applies(SecurityPolicy.Of(c), workloadNamespace, workloadLabels, rootNamespace))
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .ToList();

    private static bool Applies(SecurityPolicy policy, string workloadNamespace, IReadOnlyDictionary<string, string> labels, string rootNamespace)
    {
        // targetRef(s) attach a policy to a Gateway or waypoint; Istio does not apply such policies to sidecars.
        if (policy.Spec["targetRef"] is not null || policy.Spec["targetRefs"] is not null) return false;
        var selector = policy.Spec.Obj("selector");
        if (policy.Namespace == rootNamespace && selector is null) return true;
        if (policy.Namespace == rootNamespace && policy.Namespace != workloadNamespace)
        {
            // A root-namespace AuthorizationPolicy or RequestAuthentication with a selector applies to the workloads it
            // selects in every namespace; Istio ignores a PeerAuthentication with a selector there.
            return policy.Kind != SecurityPolicy.PeerAuthentication && Matches(selector, labels);
        }
        if (policy.Namespace != workloadNamespace) return false;
        if (policy.Kind == SecurityPolicy.PeerAuthentication && policy.Namespace == rootNamespace && selector is not null) return false;
        return Matches(selector, labels);
    }

    /// <summary>Like Istio's WorkloadSelector: an empty selector selects every workload in scope.</summary>
    private static bool Matches(JsonObject? selector, IReadOnlyDictionary<string, string> labels)
        => selector.SortedEntries("matchLabels").All(
            e => e.Value is JsonValue v && v.TryGetValue<string>(out var expected) && labels.TryGetValue(e.Key, out var actual) && actual == expected);
}
