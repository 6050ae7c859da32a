using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Mesh.Config.Views.VirtualServices;

namespace Mesh.Xds.Translation;

/// <summary>Istio route destinations → the cluster or weighted clusters of a RouteAction, and mirrors.</summary>
internal static class DestinationTranslator
{
    /// <summary>Sets the cluster specifier, the destinations' header edits and hash policy; false when no
    /// destination carries weight.</summary>
    public static bool Apply(Route route, RouteAction action, HttpRoute http, RouteContext context)
    {
        var weighted = Weighted(http.Route ?? []);
        if (weighted.Count == 0) return false;
        var clusters = weighted.Select(d => context.ClusterOf(d.Destination)).ToList();
        if (weighted.Count == 1)
        {
            action.Cluster = clusters[0];
            var headers = weighted[0].Headers;
            HeaderOperationsTranslator.Apply(headers.Request, route.RequestHeadersToAdd, route.RequestHeadersToRemove);
            HeaderOperationsTranslator.Apply(headers.Response, route.ResponseHeadersToAdd, route.ResponseHeadersToRemove);
        }
        else
        {
            var split = new WeightedCluster();
            for (var i = 0; i < weighted.Count; i++)
            {
                var cluster = new WeightedCluster.Types.ClusterWeight { Name = clusters[i], Weight = (uint)weighted[i].Weight!.Value };
                var headers = weighted[i].Headers;
                HeaderOperationsTranslator.Apply(headers.Request, cluster.RequestHeadersToAdd, cluster.RequestHeadersToRemove);
                HeaderOperationsTranslator.Apply(headers.Response, cluster.ResponseHeadersToAdd, cluster.ResponseHeadersToRemove);
                split.Clusters.Add(cluster);
            }
            action.WeightedClusters = split;
        }
        // One hash policy per route: only when every destination asks for the same one, as Istio does.
        var policies = clusters.Select(c => HashPolicyTranslator.Translate(context.ConsistentHashOf(c))).ToList();
        if (policies[0].Count > 0 && policies.All(p => p.SequenceEqual(policies[0]))) action.HashPolicy.Add(policies[0]);
        return true;
    }

    /// <summary>The destinations that take traffic: a lone destination may omit its weight; among several, a weight
    /// of 0 takes none.</summary>
    public static IReadOnlyList<T> Weighted<T>(IReadOnlyList<T> destinations) where T : RouteDestination
        => destinations.Count == 1 ? destinations : destinations.Where(d => (d.Weight ?? 0) > 0).ToList();

    /// <summary>mirror (with mirrorPercentage or the deprecated mirrorPercent) or mirrors → request_mirror_policies.</summary>
    public static void ApplyMirrors(RouteAction action, HttpRoute http, RouteContext context)
    {
        if (http.Mirror is { } mirror)
        {
            action.RequestMirrorPolicies.Add(Mirror(context.ClusterOf(mirror), http.MirrorPercent));
        }
        foreach (var entry in http.Mirrors)
        {
            action.RequestMirrorPolicies.Add(Mirror(context.ClusterOf(entry.Destination), entry.Percent));
        }
    }

    private static RouteAction.Types.RequestMirrorPolicy Mirror(string cluster, double? percent) => new()
    {
        Cluster = cluster,
        RuntimeFraction = new RuntimeFractionalPercent { DefaultValue = ProtoValues.Fraction(percent ?? 100) },
    };
}
